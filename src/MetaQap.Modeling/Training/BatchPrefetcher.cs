using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace MetaQap.Modeling.Training;

/// <summary>
/// Runs a batch producer on a background task, at most <c>capacity</c> batches ahead of the consumer, so data
/// preparation (corpus generation, decoding, cropping) overlaps with the optimisation step without unbounded memory.
/// </summary>
internal static class BatchPrefetcher
{
    public static IEnumerable<PreparedBatch> Prefetch(IEnumerable<PreparedBatch> producer, int capacity, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<PreparedBatch>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task pump = Task.Run(async () =>
        {
            try
            {
                foreach (PreparedBatch batch in producer)
                {
                    await channel.Writer.WriteAsync(batch, stop.Token).ConfigureAwait(false);
                }

                channel.Writer.Complete();
            }
            catch (Exception ex)
            {
                channel.Writer.Complete(ex);
            }
        }, CancellationToken.None);

        try
        {
            while (true)
            {
                PreparedBatch batch;
                try
                {
                    if (!channel.Reader.WaitToReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult()
                        || !channel.Reader.TryRead(out batch!))
                    {
                        break;
                    }
                }
                catch (ChannelClosedException ex) when (ex.InnerException is not null)
                {
                    ExceptionDispatchInfo.Throw(ex.InnerException);
                    throw;
                }

                yield return batch;
            }
        }
        finally
        {
            // The consumer stopped (done, cancelled or failed): release the producer and wait, so no work outlives the epoch.
            stop.Cancel();
            try
            {
                pump.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
