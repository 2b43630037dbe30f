using MetaQap.Modeling.Artifacts;

namespace MetaQap.Modeling.Ensembles;

/// <summary>What <see cref="EnsembleBuilder"/> writes into the manifest besides the models and the meta-learner.</summary>
public sealed record EnsembleBuildOptions
{
    /// <summary>Ensemble version reported with every score.</summary>
    public required string Version { get; init; }

    public required Provenance Provenance { get; init; }

    /// <summary>Evaluation metrics by name (see docs/model-artifact.md); may be empty.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Creation time; null means now.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}
