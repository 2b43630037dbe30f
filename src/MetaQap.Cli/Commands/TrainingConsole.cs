using System.CommandLine;
using System.Globalization;
using MetaQap.Modeling.Training;
using Spectre.Console;

namespace MetaQap.Cli.Commands;

/// <summary>Runs a training stage under a progress bar, then prints the epochs; Ctrl-C leaves the last checkpoint.</summary>
internal static class TrainingConsole
{
    public static async Task<int> RunAsync(ParseResult parse, TrainingCliOptions common,
        Func<IProgress<TrainingProgress>, CancellationToken, TrainingResult> run, CancellationToken cancellationToken)
    {
        TextWriter output = parse.InvocationConfiguration.Output;
        TextWriter error = parse.InvocationConfiguration.Error;
        try
        {
            TrainingResult result = null!;
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    ProgressTask task = context.AddTask("starting", maxValue: 1);
                    var progress = new Reporter(p =>
                    {
                        task.MaxValue = (double)p.Epochs * p.StepsPerEpoch;
                        task.Value = ((double)p.Epoch * p.StepsPerEpoch) + p.Step;
                        task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                            $"{p.Stage} epoch {p.Epoch + 1}/{p.Epochs} step {p.Step}/{p.StepsPerEpoch} loss {p.Loss:F4} {p.ImagesPerSecond:F1} img/s"));
                    });
                    result = await Task.Run(() => run(progress, cancellationToken), cancellationToken).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                }).ConfigureAwait(false);

            foreach (EpochMetrics m in result.History)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {m.Epoch + 1}: loss {m.TrainLoss:F4}  val PLCC {m.ValidationPlcc:F4}  val SROCC {m.ValidationSrocc:F4}" +
                    $"{(m.ValidationAccuracy is { } a ? $"  type acc {a:F3}" : "")}  {m.ImagesPerSecond:F1} img/s"));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"best epoch {result.BestEpoch + 1} (val SROCC {result.BestValidationSrocc:F4}){(result.StoppedEarly ? ", stopped early" : "")}"));
            output.WriteLine($"weights: {result.WeightsPath}");
            output.WriteLine($"report:  {result.ReportPath}");
            return ExitCodes.Success;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine($"cancelled; the last complete checkpoint is in {Path.Combine(common.Output(parse), "checkpoints")} (continue with --resume).");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or InvalidOperationException or ArgumentException)
        {
            error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InputError;
        }
    }

    private sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
