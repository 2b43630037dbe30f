using System.Globalization;
using MassTransit;
using MetaQap.Contracts;

namespace MetaQap.Cli.Messaging;

/// <summary>
/// Prints the <see cref="TrainingProgressed"/> events of one run and ends on its <see cref="TrainingCompleted"/>
/// (exit 0) or <see cref="TrainingFailed"/> (<see cref="ExitCodes.RunFailed"/>). Other runs' events are ignored,
/// and so are repeats once the outcome is known (both outcome events are published at least once).
/// </summary>
internal sealed class RunFollower(Guid runId, TextWriter output, TextWriter error) : IOutcomeFollower
{
    private readonly TaskCompletionSource<int> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _print = new();

    public Task<int> Outcome => _outcome.Task;

    public string StillPending => $"The run goes on; `metaqap runs {runId}` shows where it is.";

    public void Subscribe(IRabbitMqReceiveEndpointConfigurator endpoint)
    {
        endpoint.Handler<TrainingProgressed>(c => On(c.Message.RunId, () => output.WriteLine(Describe(c.Message))));
        endpoint.Handler<TrainingCompleted>(c => On(c.Message.RunId, () =>
        {
            output.WriteLine(Describe(c.Message));
            _outcome.TrySetResult(ExitCodes.Success);
        }));
        endpoint.Handler<TrainingFailed>(c => On(c.Message.RunId, () =>
        {
            error.WriteLine($"Run {runId} failed: {c.Message.Code}: {c.Message.Message}");
            _outcome.TrySetResult(ExitCodes.RunFailed);
        }));
    }

    internal static string Describe(TrainingProgressed p)
    {
        var line = new System.Text.StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"epoch {p.Epoch}/{p.Epochs}  step {p.Step}/{p.StepsPerEpoch}");
        if (p.Loss is { } loss)
        {
            line.Append(CultureInfo.InvariantCulture, $"  loss {loss:F4}");
        }

        if (p.ValidationSrocc is { } srocc)
        {
            line.Append(CultureInfo.InvariantCulture, $"  val SROCC {srocc:F4}");
        }

        if (p.ValidationPlcc is { } plcc)
        {
            line.Append(CultureInfo.InvariantCulture, $"  val PLCC {plcc:F4}");
        }

        line.Append(CultureInfo.InvariantCulture, $"  {p.Progress * 100:F1} %");
        if (p.Eta is { } eta)
        {
            line.Append("  ETA ").Append(Format(eta));
        }

        return line.ToString();
    }

    internal static string Describe(TrainingCompleted c)
    {
        string metrics = Terminal.MetricsFormat.Inline(c.Metrics);
        string version = c.Version is null ? "" : $", version {c.Version}";
        return $"Run {c.RunId} completed: {c.Kind} artifact {c.ArtifactId}{version}, sha256 {c.Sha256}{(metrics.Length == 0 ? "" : $"; {metrics}")}";
    }

    /// <summary>h:mm:ss, with days folded into hours (a long pretraining can take more than a day).</summary>
    internal static string Format(TimeSpan span) => string.Create(CultureInfo.InvariantCulture,
        $"{(int)span.TotalHours}:{span.Minutes:D2}:{span.Seconds:D2}");

    private Task On(Guid eventRunId, Action print)
    {
        if (eventRunId == runId && !_outcome.Task.IsCompleted)
        {
            lock (_print)
            {
                if (!_outcome.Task.IsCompleted)
                {
                    print();
                }
            }
        }

        return Task.CompletedTask;
    }
}
