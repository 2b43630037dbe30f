using MetaQap.Components.Telemetry;
using Prometheus;

namespace MetaQap.Components.Training;

/// <summary>
/// The training role's metrics, in the worker's registry: runs per state (from the registry, so every training worker
/// exports the same fleet-wide counts: aggregate with max, not sum), the running run's progress and the step time.
/// </summary>
public sealed class TrainingMetrics
{
    private readonly Gauge _runs;
    private readonly Gauge _progress;
    private readonly Histogram _stepSeconds;

    public TrainingMetrics(WorkerMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        IMetricFactory factory = Metrics.WithCustomRegistry(metrics.Registry);
        _runs = factory.CreateGauge("metaqap_training_runs", "Training runs in the registry, by state.",
            new GaugeConfiguration { LabelNames = ["state"] });
        _progress = factory.CreateGauge("metaqap_training_progress_ratio",
            "Fraction of the planned steps done, for the run this worker is training (the series goes when it ends).",
            new GaugeConfiguration { LabelNames = ["run"] });
        _stepSeconds = factory.CreateHistogram("metaqap_training_step_seconds", "Seconds per optimisation step (data waits included).",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.01, 2, 14) });
    }

    public void SetRunCounts(IReadOnlyDictionary<TrainingRunStatus, int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        foreach ((TrainingRunStatus status, int count) in counts)
        {
            _runs.WithLabels(status.ToString()).Set(count);
        }
    }

    public void Progress(Guid run, double ratio) => _progress.WithLabels(run.ToString("D")).Set(ratio);

    public void RunEnded(Guid run) => _progress.RemoveLabelled(run.ToString("D"));

    public void StepTook(TimeSpan elapsed) => _stepSeconds.Observe(elapsed.TotalSeconds);
}
