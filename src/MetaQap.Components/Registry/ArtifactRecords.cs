namespace MetaQap.Components.Registry;

/// <summary>A base-model artifact in <c>model_artifacts</c>: kind Pretrained or FineTuned.</summary>
public sealed record ModelArtifactRecord
{
    /// <summary>The run that trained it.</summary>
    public required Guid Id { get; init; }

    public required string Kind { get; init; }

    public required string Architecture { get; init; }

    public required int InputSize { get; init; }

    /// <summary>The weights file, relative to the model store.</summary>
    public required string Path { get; init; }

    public required string Sha256 { get; init; }

    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Where its data came from and how it was trained (JSON).</summary>
    public string Provenance { get; init; } = "{}";

    public required DateTimeOffset CreatedAt { get; init; }

    public const string Pretrained = nameof(Pretrained);

    public const string FineTuned = nameof(FineTuned);
}

/// <summary>An ensemble in <c>ensembles</c>; at most one is active.</summary>
public sealed record EnsembleRecord
{
    public required Guid Id { get; init; }

    public Guid? RunId { get; init; }

    public required string Version { get; init; }

    /// <summary>The ensemble folder, relative to the model store.</summary>
    public required string Path { get; init; }

    public required string ManifestSha256 { get; init; }

    public required IReadOnlyList<Guid> BaseModels { get; init; }

    public required string Method { get; init; }

    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    public required DateTimeOffset CreatedAt { get; init; }

    public bool Active { get; init; }

    public DateTimeOffset? PromotedAt { get; init; }
}
