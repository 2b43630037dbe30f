using System.CommandLine;
using MetaQap.Cli.Messaging;
using MetaQap.Contracts;

namespace MetaQap.Cli.Commands;

/// <summary>
/// <c>metaqap train cancel RUN_ID</c>: publishes <see cref="CancelTrainingRun"/>. A queued or running run then ends
/// with <see cref="TrainingFailed"/> (Cancelled) and no artifact; a finished one is not changed.
/// </summary>
internal static class TrainCancelCommand
{
    public static Command Create()
    {
        var id = new Argument<Guid>("run-id") { Description = "The run to stop." };
        var broker = BrokerCliOptions.PublishOnly();
        var command = new Command("cancel", "Stop a queued or running training run (CancelTrainingRun).") { id };
        broker.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            Guid runId = parse.GetValue(id);
            return broker.PublishAsync(parse, new CancelTrainingRun { RunId = runId },
                $"Cancel of run {runId} requested; `metaqap runs {runId}` shows when it stopped.", follower: null, cancellationToken);
        });
        return command;
    }
}
