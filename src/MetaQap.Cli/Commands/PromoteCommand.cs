using System.CommandLine;
using MetaQap.Cli.Messaging;
using MetaQap.Contracts;

namespace MetaQap.Cli.Commands;

/// <summary>
/// <c>metaqap promote ENSEMBLE_ID [--wait]</c>: publishes <see cref="PromoteEnsemble"/>; with --wait, waits for the
/// ensemble's <see cref="EnsemblePromoted"/> (exit 0) or <see cref="EnsemblePromotionRejected"/> (exit 4).
/// </summary>
internal static class PromoteCommand
{
    public static Command Create()
    {
        var id = new Argument<Guid>("ensemble-id") { Description = "The ensemble (the fit-meta run's id)." };
        var broker = new BrokerCliOptions("Wait until the ensemble is active, or the promotion is rejected.", defaultTimeoutSeconds: 120);
        var command = new Command("promote", "Make a registered ensemble the one every scoring worker uses (PromoteEnsemble).") { id };
        broker.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            Guid ensembleId = parse.GetValue(id);
            var follower = new PromotionFollower(ensembleId, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            return broker.PublishAsync(parse, new PromoteEnsemble { EnsembleId = ensembleId },
                $"Promotion of ensemble {ensembleId} requested.", follower, cancellationToken);
        });
        return command;
    }
}
