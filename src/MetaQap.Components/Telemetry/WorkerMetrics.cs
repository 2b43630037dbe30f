using Prometheus;

namespace MetaQap.Components.Telemetry;

/// <summary>
/// The worker's Prometheus metrics (DESIGN.md §7), in a registry of its own so each host (and each test host)
/// counts only its own work. No image ids or URIs are ever labels. MassTransit's meter is exported into the same
/// registry.
/// </summary>
public sealed class WorkerMetrics : IDisposable
{
    private readonly IDisposable _meterAdapter;
    private readonly Counter _scored;
    private readonly Counter _failed;
    private readonly Histogram _batchSize;
    private readonly Histogram _stageSeconds;
    private readonly Histogram _imageLatency;
    private readonly Gauge _inFlight;
    private readonly Gauge _modelInfo;
    private readonly Counter _poison;

    public WorkerMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        IMetricFactory factory = Metrics.WithCustomRegistry(Registry);
        _scored = factory.CreateCounter("metaqap_images_scored_total", "Images scored and stored.");
        _failed = factory.CreateCounter("metaqap_images_failed_total", "Images that got a failure, by failure code.",
            new CounterConfiguration { LabelNames = ["code"] });
        _batchSize = factory.CreateHistogram("metaqap_batch_size", "Images per micro-batch taken from the queue.",
            new HistogramConfiguration { Buckets = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        _stageSeconds = factory.CreateHistogram("metaqap_stage_seconds",
            "Seconds per stage: fetch and decode per image; infer, persist and publish per batch.",
            new HistogramConfiguration { LabelNames = ["stage"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 18) });
        _imageLatency = factory.CreateHistogram("metaqap_image_latency_seconds",
            "Seconds from the job's message being recorded to the image's result being stored.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.01, 2, 17) });
        _inFlight = factory.CreateGauge("metaqap_images_in_flight", "Images taken from the queue and not yet stored.");
        _modelInfo = factory.CreateGauge("metaqap_model_info", "1 for the loaded model version.",
            new GaugeConfiguration { LabelNames = ["version"] });
        _poison = factory.CreateCounter("metaqap_poison_messages_total",
            "Messages moved to their queue's _error (or _skipped) queue instead of being processed, by queue.",
            new CounterConfiguration { LabelNames = ["queue"] });
        _meterAdapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            // Both: the adapter takes its factory (default: the global registry's) over the registry when it has one.
            Registry = Registry,
            MetricFactory = factory,
            InstrumentFilterPredicate = instrument => instrument.Meter.Name.StartsWith("MassTransit", StringComparison.Ordinal),
        });
    }

    public CollectorRegistry Registry { get; }

    public void Scored(int count) => _scored.Inc(count);

    public void Failed(string code) => _failed.WithLabels(code).Inc();

    public void BatchTaken(int size)
    {
        _batchSize.Observe(size);
        _inFlight.Inc(size);
    }

    public void BatchDone(int size) => _inFlight.Dec(size);

    public void ObserveStage(string stage, TimeSpan elapsed) => _stageSeconds.WithLabels(stage).Observe(elapsed.TotalSeconds);

    public void ObserveLatency(TimeSpan latency) => _imageLatency.Observe(Math.Max(0, latency.TotalSeconds));

    /// <summary>Exports the queue's poison counter at 0 before anything goes wrong, so rates and alerts have a series.</summary>
    public void TrackPoisonQueue(string queue) => _poison.WithLabels(queue);

    public void PoisonMessage(string queue) => _poison.WithLabels(queue).Inc();

    public void ModelLoaded(string version) => _modelInfo.WithLabels(version).Set(1);

    /// <summary>After a promotion: only the version now scoring is exported.</summary>
    public void ModelSwitched(string previous, string next)
    {
        if (previous != next)
        {
            _modelInfo.RemoveLabelled(previous);
        }

        _modelInfo.WithLabels(next).Set(1);
    }

    public void Dispose() => _meterAdapter.Dispose();

    /// <summary>The <c>stage</c> label's values.</summary>
    public static class Stages
    {
        public const string Fetch = "fetch";
        public const string Decode = "decode";
        public const string Infer = "infer";
        public const string Persist = "persist";
        public const string Publish = "publish";
    }
}
