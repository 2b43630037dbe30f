using System.Diagnostics;
using System.Threading.Channels;
using MassTransit;
using MetaQap.Contracts;
using MetaQap.Modeling.Training;

namespace MetaQap.Components.Training;

/// <summary>
/// Receives the trainer's per-step progress on the training thread and passes on, at most every progress interval and
/// at every epoch's end, a <see cref="TrainingProgressed"/> event and a registry update. The training thread only
/// records and enqueues; the database and broker work happens on a pump task, so a slow broker never slows training
/// and a broker outage only loses progress events (the outcome is published later in any case).
/// </summary>
internal sealed class RunProgressReporter : IProgress<TrainingProgress>, IAsyncDisposable
{
    private readonly TrainingRunRecord _run;
    private readonly string _owner;
    private readonly TrainingRegistry _runs;
    private readonly IBus _bus;
    private readonly TrainingMetrics _metrics;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly Channel<TrainingProgress> _pending = Channel.CreateUnbounded<TrainingProgress>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;
    private long _lastSent = long.MinValue;
    private long _lastStepAt;
    private (int Epoch, int Step) _lastStep = (-1, -1);

    public RunProgressReporter(TrainingRunRecord run, string owner, TrainingRegistry runs, IBus bus, TrainingMetrics metrics,
        TimeSpan interval, ILogger logger)
    {
        (_run, _owner, _runs, _bus, _metrics, _interval, _logger) = (run, owner, runs, bus, metrics, interval, logger);
        _pump = Task.Run(PumpAsync);
    }

    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        long now = Stopwatch.GetTimestamp();
        if (value.Phase == TrainingPhase.Training && value.Epoch == _lastStep.Epoch && value.Step == _lastStep.Step + 1)
        {
            _metrics.StepTook(Stopwatch.GetElapsedTime(_lastStepAt, now));
        }

        if (value.Phase == TrainingPhase.Training)
        {
            (_lastStep, _lastStepAt) = ((value.Epoch, value.Step), now);
        }

        _metrics.Progress(_run.Id, Ratio(value));
        if (value.Phase == TrainingPhase.EpochCompleted || _lastSent == long.MinValue || Stopwatch.GetElapsedTime(_lastSent, now) >= _interval)
        {
            _lastSent = now;
            _pending.Writer.TryWrite(value);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _pump;
        _metrics.RunEnded(_run.Id);
    }

    private static double Ratio(TrainingProgress p) =>
        p.Epochs * p.StepsPerEpoch <= 0 ? 0 : Math.Clamp(((double)p.Epoch * p.StepsPerEpoch + p.Step) / ((double)p.Epochs * p.StepsPerEpoch), 0, 1);

    private async Task PumpAsync()
    {
        await foreach (TrainingProgress p in _pending.Reader.ReadAllAsync())
        {
            double ratio = Ratio(p);
            try
            {
                await _runs.ReportProgressAsync(_run.Id, _owner, new RunProgress(p.Epoch + 1, p.Epochs, p.Step, p.StepsPerEpoch, ratio,
                    double.IsFinite(p.Loss) ? p.Loss : null, p.ValidationSrocc, p.ValidationPlcc), CancellationToken.None);
                await _bus.Publish(new TrainingProgressed
                {
                    RunId = _run.Id,
                    Kind = _run.Kind,
                    Epoch = p.Epoch + 1,
                    Epochs = p.Epochs,
                    Step = p.Step,
                    StepsPerEpoch = p.StepsPerEpoch,
                    Loss = double.IsFinite(p.Loss) ? p.Loss : null,
                    ValidationPlcc = Finite(p.ValidationPlcc),
                    ValidationSrocc = Finite(p.ValidationSrocc),
                    Progress = ratio,
                    Eta = p.Eta,
                    At = DateTimeOffset.UtcNow,
                });
            }
#pragma warning disable CA1031 // Progress is best effort: a lost update must not stop the training that produced it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _logger.LogWarning("Run {RunId}: progress not reported: {Reason}", _run.Id, e.Message);
            }
        }
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
