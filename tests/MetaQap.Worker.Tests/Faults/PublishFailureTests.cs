using MassTransit;
using MetaQap.Contracts;
using MetaQap.Worker.Tests.Support;
using Xunit.Abstractions;

namespace MetaQap.Worker.Tests.Faults;

/// <summary>
/// The gap between storing an outcome and publishing its event, hit on purpose: the first publish of ImageScored
/// fails after its batch's outcomes were stored. The retried batch finds them stored (nothing to redo) and must
/// still publish them; an image never goes without its event.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class PublishFailureTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Outcomes_stored_before_a_failed_publish_are_published_by_the_retry()
    {
        LocalServices.Require();
        using var root = new TempFolder();
        var job = new FaultJob(root, images: 24);
        await using EventRecorder events = await EventRecorder.StartAsync();
        await using WorkerHost worker = await WorkerHost.StartAsync(WorkerHost.Settings(root.Path));
        var failOnce = new FailFirstPublish<ImageScored>();
        using (worker.Bus.ConnectPublishObserver(failOnce))
        {
            await job.PublishAsync();
            await job.WaitForAllEventsAsync(events, TimeSpan.FromSeconds(60));
        }

        Assert.Equal(1, failOnce.Failures);
        DeliveryCounts counts = await job.CountAsync(events, worker.Store, output, "first ImageScored publish failed");
        counts.AssertNothingLostOrDoubled();
        // The rest of the failed publish went out before the retry sent the whole batch again: duplicates of at most
        // one batch, each under its image's stable message id (checked above).
        Assert.InRange(counts.OutcomeDeliveries, job.References.Count, job.References.Count + 16);
        Assert.Equal(1, counts.CompletionDeliveries);
    }

    /// <summary>Throws from the first publish of a <typeparamref name="T"/>, as a broker hiccup would.</summary>
    private sealed class FailFirstPublish<T> : IPublishObserver
        where T : class
    {
        private int _failures;

        public int Failures => _failures;

        public Task PrePublish<TMessage>(PublishContext<TMessage> context)
            where TMessage : class =>
            context.Message is T && Interlocked.CompareExchange(ref _failures, 1, 0) == 0
                ? throw new InvalidOperationException("Injected: the broker did not take the publish.")
                : Task.CompletedTask;

        public Task PostPublish<TMessage>(PublishContext<TMessage> context)
            where TMessage : class => Task.CompletedTask;

        public Task PublishFault<TMessage>(PublishContext<TMessage> context, Exception exception)
            where TMessage : class => Task.CompletedTask;
    }
}
