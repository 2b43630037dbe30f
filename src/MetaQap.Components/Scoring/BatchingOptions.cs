using System.ComponentModel.DataAnnotations;

namespace MetaQap.Components.Scoring;

/// <summary>
/// Micro-batching of per-image work (DESIGN.md §3). A batch is handed to the model when it has
/// <see cref="MaxBatchSize"/> images or <see cref="MaxBatchDelay"/> after its first image, whichever comes
/// first (Triton's max-queue-delay). Defaults and how they were measured: docs/worker.md.
/// </summary>
public sealed class BatchingOptions
{
    public const string SectionName = "MetaQap:Batching";

    [Range(1, 1024)]
    public int MaxBatchSize { get; set; } = 16;

    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Batches in hand at once; the model itself still runs one batch at a time. With 3, one batch is fetched and
    /// decoded while one is scored and one is stored and published, so the model need not wait for a batch to be
    /// acknowledged before the next can form: with 2 a worker scored 54.6 images/s, with 3 60.0, the bare model's
    /// rate (docs/performance.md, pipeline efficiency).
    /// </summary>
    [Range(1, 16)]
    public int ConcurrentBatches { get; set; } = 3;

    /// <summary>The most images one <c>ScoreImages</c> message may carry; a larger one is rejected whole.</summary>
    [Range(1, 100_000)]
    public int MaxImagesPerMessage { get; set; } = 1000;

    /// <summary>The most images a job's <c>manifestUri</c> may list; a longer manifest rejects the message.</summary>
    [Range(1, 10_000_000)]
    public int MaxImagesPerManifest { get; set; } = 100_000;
}
