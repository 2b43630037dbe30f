using System.Diagnostics;
using System.Globalization;
using MetaQap.Modeling.Training;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// Plain-text progress of a recipe run, one line at a time with the elapsed time: units started, skipped and
/// finished, every epoch's validation SROCC, and within long epochs a step line at most every
/// <see cref="StepLineInterval"/>. Lines are written synchronously on the thread that reports them.
/// </summary>
public sealed class RecipeLog
{
    public static readonly TimeSpan StepLineInterval = TimeSpan.FromSeconds(30);

    private readonly Action<string> _write;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public RecipeLog(Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        _write = write;
    }

    /// <summary>Discards every line (library callers that want no output).</summary>
    public static RecipeLog None { get; } = new(_ => { });

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Line(string text) =>
        _write(string.Create(CultureInfo.InvariantCulture, $"[{(int)_clock.Elapsed.TotalHours:D2}:{_clock.Elapsed:mm\\:ss}] {text}"));

    /// <summary>Training progress of one unit, prefixed with <paramref name="label"/> (stage, model, fold).</summary>
    public IProgress<TrainingProgress> Training(string label) => new TrainingLines(this, label);

    private sealed class TrainingLines(RecipeLog log, string label) : IProgress<TrainingProgress>
    {
        private TimeSpan _lastStepLine = log.Elapsed;

        public void Report(TrainingProgress value)
        {
            if (value.Phase == TrainingPhase.EpochCompleted)
            {
                log.Line(string.Create(CultureInfo.InvariantCulture,
                    $"{label} epoch {value.Epoch + 1}/{value.Epochs} loss {value.Loss:F4} val PLCC {value.ValidationPlcc:F4} val SROCC {value.ValidationSrocc:F4} {value.ImagesPerSecond:F1} img/s"));
                _lastStepLine = log.Elapsed;
            }
            else if (log.Elapsed - _lastStepLine >= StepLineInterval)
            {
                string eta = value.Eta is { } e ? string.Create(CultureInfo.InvariantCulture, $" eta {(int)e.TotalHours:D2}:{e:mm\\:ss}") : "";
                log.Line(string.Create(CultureInfo.InvariantCulture,
                    $"{label} epoch {value.Epoch + 1}/{value.Epochs} step {value.Step}/{value.StepsPerEpoch} loss {value.Loss:F4} {value.ImagesPerSecond:F1} img/s{eta}"));
                _lastStepLine = log.Elapsed;
            }
        }
    }
}
