using System.ComponentModel.DataAnnotations;

namespace MetaQap.Components.Training;

/// <summary>The training role (<c>MetaQap:Training</c>, docs/training.md).</summary>
public sealed class TrainingRoleOptions
{
    public const string SectionName = "MetaQap:Training";

    /// <summary>
    /// Folders training data may be read from (datasets, photo folders, manifests), with the same rules as the
    /// scoring file roots: no <c>..</c>, no symlinks out. Empty: only the synthetic corpus can be used.
    /// </summary>
    public List<string> DataRoots { get; set; } = [];

    /// <summary>How long a claim on a run holds without renewal; a killed worker's run is resumed after this.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the claim is renewed, which is also how soon a <c>CancelTrainingRun</c> takes effect.</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:10:00")]
    public TimeSpan LeaseRenewal { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Least time between two <c>TrainingProgressed</c> events (epoch ends are always reported).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an idle runner looks for claimable runs (a new command also wakes it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>libtorch intra-op threads for training; 0 keeps libtorch's default (one per core).</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }

    /// <summary>Memory for decoded training images kept as 8-bit RGB, in MiB.</summary>
    [Range(0, 1_048_576)]
    public int ImageCacheMb { get; set; } = 1024;
}
