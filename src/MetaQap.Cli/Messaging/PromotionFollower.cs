using System.Globalization;
using MassTransit;
using MetaQap.Contracts;

namespace MetaQap.Cli.Messaging;

/// <summary>
/// Ends on the <see cref="EnsemblePromoted"/> (exit 0) or <see cref="EnsemblePromotionRejected"/>
/// (<see cref="ExitCodes.RunFailed"/>) of one ensemble; other ensembles' events, and repeats, are ignored.
/// </summary>
internal sealed class PromotionFollower(Guid ensembleId, TextWriter output, TextWriter error) : IOutcomeFollower
{
    private readonly TaskCompletionSource<int> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _print = new();

    public Task<int> Outcome => _outcome.Task;

    public string StillPending => "`metaqap models` shows which ensemble is active.";

    public void Subscribe(IRabbitMqReceiveEndpointConfigurator endpoint)
    {
        endpoint.Handler<EnsemblePromoted>(c =>
        {
            EnsemblePromoted e = c.Message;
            string previous = e.PreviousEnsembleId is { } id ? $"it replaced {id}" : "no ensemble was active before";
            End(e.EnsembleId, output, string.Create(CultureInfo.InvariantCulture,
                $"Ensemble {e.EnsembleId} (version {e.Version}) is active since {e.PromotedAt:u}; {previous}."), ExitCodes.Success);
            return Task.CompletedTask;
        });
        endpoint.Handler<EnsemblePromotionRejected>(c =>
        {
            EnsemblePromotionRejected e = c.Message;
            End(e.EnsembleId, error, $"Promotion of {e.EnsembleId} rejected: {e.Code}: {e.Message}", ExitCodes.RunFailed);
            return Task.CompletedTask;
        });
    }

    // Printed before the outcome is set: the command returns (and its output is read) as soon as it is.
    private void End(Guid eventEnsembleId, TextWriter writer, string line, int exitCode)
    {
        if (eventEnsembleId != ensembleId)
        {
            return;
        }

        lock (_print)
        {
            if (!_outcome.Task.IsCompleted)
            {
                writer.WriteLine(line);
                _outcome.SetResult(exitCode);
            }
        }
    }
}
