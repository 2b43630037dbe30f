using MassTransit;
using MetaQap.Components.Messaging;
using MetaQap.Contracts;
using MetaQap.Modeling.Artifacts;

namespace MetaQap.Components.Registry;

/// <summary>
/// <see cref="PromoteEnsemble"/>: checks that the ensemble's files are whole (manifest SHA-256 as registered, every
/// weights file as its manifest says), makes it the one active ensemble, and announces it. A redelivered command finds
/// it already active and announces it again, so the announcement is at least once.
/// </summary>
public sealed class PromoteEnsembleConsumer(ModelRegistry models, ModelStore store, ILogger<PromoteEnsembleConsumer> logger)
    : IConsumer<PromoteEnsemble>
{
    public async Task Consume(ConsumeContext<PromoteEnsemble> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Guid id = context.Message.EnsembleId;
        EnsembleRecord? ensemble = await models.GetEnsembleAsync(id, context.CancellationToken);
        string? problem = ensemble is null ? null : Check(ensemble);
        if (ensemble is null || problem is not null)
        {
            TrainingFailureCode code = ensemble is null ? TrainingFailureCode.UnknownEnsemble : TrainingFailureCode.ArtifactCorrupt;
            string message = problem ?? $"No ensemble {id} in the registry.";
            logger.LogWarning("Promotion of ensemble {EnsembleId} refused: {Code}: {Reason}", id, code, message);
            await context.Publish(new EnsemblePromotionRejected { EnsembleId = id, Code = code, Message = message, At = DateTimeOffset.UtcNow });
            return;
        }

        PromotionResult result = await models.PromoteAsync(id, context.CancellationToken);
        logger.LogInformation("Ensemble {EnsembleId} ({Version}) is active{Again}", id, ensemble.Version, result.Changed ? "" : " (it already was)");
        await context.Publish(new EnsemblePromoted
        {
            EnsembleId = id,
            Version = ensemble.Version,
            PreviousEnsembleId = result.PreviousId,
            PromotedAt = result.Ensemble?.PromotedAt ?? DateTimeOffset.UtcNow,
        });
    }

    private string? Check(EnsembleRecord ensemble)
    {
        try
        {
            string folder = store.Resolve(ensemble.Path);
            string manifest = Path.Combine(folder, EnsembleArtifact.ManifestFileName);
            if (!File.Exists(manifest))
            {
                return $"Ensemble {ensemble.Id}'s folder {ensemble.Path} is missing from the model store.";
            }

            if (ModelStore.Sha256(manifest) != ensemble.ManifestSha256)
            {
                return $"Ensemble {ensemble.Id}'s manifest no longer matches its registered SHA-256.";
            }

            EnsembleArtifact.Load(folder);
            return null;
        }
        catch (Exception e) when (e is ArtifactException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return $"Ensemble {ensemble.Id} cannot be loaded: {e.Message}";
        }
    }
}

public sealed class PromoteEnsembleConsumerDefinition : ConsumerDefinition<PromoteEnsembleConsumer>
{
    public PromoteEnsembleConsumerDefinition()
    {
        EndpointName = RegistryQueues.PromoteEnsemble;
        // One at a time: two promotions racing would announce in an order that need not match the registry's.
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PromoteEnsembleConsumer> consumerConfigurator, IRegistrationContext context) =>
        EndpointPolicy.Apply(endpointConfigurator, consumerConfigurator, context);
}
