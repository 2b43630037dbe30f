using MassTransit;
using MetaQap.Contracts;

namespace MetaQap.Components.Scoring;

/// <summary>
/// Every scoring worker hears every promotion: this consumer sits on a temporary queue of its own (auto-deleted with the
/// worker) and makes the follower look at the registry, which stays the source of truth.
/// </summary>
public sealed class EnsemblePromotedConsumer(ActiveEnsembleFollower follower) : IConsumer<EnsemblePromoted>
{
    public Task Consume(ConsumeContext<EnsemblePromoted> context)
    {
        follower.Check();
        return Task.CompletedTask;
    }
}
