using System.ComponentModel.DataAnnotations;

namespace MetaQap.Components.Scoring;

/// <summary>
/// When a recorded image that never got a result is given up (<c>MetaQap:Jobs</c>): its work item was lost (an
/// error queue after its retries), and without this its job would stay open for ever.
/// </summary>
public sealed class PendingExpiryOptions
{
    public const string SectionName = "MetaQap:Jobs";

    /// <summary>
    /// An image still Pending this long after its job recorded it fails with <c>Expired</c>. Longer than the deepest
    /// queue is expected to take to drain; 0 switches the sweep off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan PendingTimeout { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How often each scoring worker looks for expired images.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}
