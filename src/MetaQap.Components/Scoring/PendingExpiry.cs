using MetaQap.Components.Jobs;
using MetaQap.Components.Outcomes;
using MetaQap.Contracts;
using Microsoft.Extensions.Options;

namespace MetaQap.Components.Scoring;

/// <summary>
/// Fails images that stayed Pending past <see cref="PendingExpiryOptions.PendingTimeout"/> with
/// <see cref="FailureCode.Expired"/>, through the same idempotent store and events as a scored batch: an image that a
/// late worker scores in the same moment keeps whichever outcome was stored first, each is published once, and the
/// job completes once. Every scoring worker sweeps; the store's Pending-only update keeps them from doubling up.
/// </summary>
public sealed class PendingExpiry(JobStore store, JobOutcomes outcomes, IOptions<PendingExpiryOptions> options, ILogger<PendingExpiry> logger)
    : BackgroundService
{
    private const int BatchLimit = 1000;

    /// <summary>One sweep: returns how many images it expired.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        TimeSpan timeout = options.Value.PendingTimeout;
        IReadOnlyList<StalePendingImage> stale = await store.FindStalePendingAsync(timeout, BatchLimit, cancellationToken);
        if (stale.Count == 0)
        {
            return 0;
        }

        string detail = $"No worker stored a result within {timeout} of the job recording this image; its work item was lost.";
        var tags = stale.GroupBy(s => s.JobId).ToDictionary(g => g.Key, g => g.First().Tags);
        int expired = await outcomes.FinishAsync(new FinishedWork
        {
            Outcomes = [.. stale.Select(s => ImageOutcome.Failed(s.JobId, s.ImageId, FailureCode.Expired, detail))],
            Jobs = tags.Keys,
            Tags = tags,
        }, CancellationToken.None);
        logger.LogWarning("Expired {Count} images of {Jobs} jobs left Pending for over {Timeout}", expired, tags.Count, timeout);
        return expired;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.PendingTimeout == TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.SweepInterval, stoppingToken);
                while (await SweepAsync(stoppingToken) == BatchLimit)
                {
                    // A backlog: keep going until it is cleared.
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The database is away: the next sweep tries again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogWarning("Pending sweep failed: {Reason}", e.Message);
            }
        }
    }
}
