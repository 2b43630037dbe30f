namespace MetaQap.Modeling.Artifacts;

/// <summary>
/// The manifest.json of an ensemble folder: which base CNNs to run, how to preprocess for each, how to map their
/// outputs to scores, how the meta-learner combines them, and where the ensemble came from. See docs/model-artifact.md.
/// </summary>
public sealed record EnsembleManifest
{
    /// <summary>The manifest format this build reads and writes.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The scale every score of this project is on (DESIGN.md §3).</summary>
    public const string StandardScoreScale = "0-100, higher is better";

    /// <summary>Format of this manifest; checked before anything else is read.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Ensemble version reported with every score, e.g. "default-2026.11.24"; letters, digits, '.', '_', '-'.</summary>
    public required string Version { get; init; }

    /// <summary>Human-readable description of the score scale, normally <see cref="StandardScoreScale"/>.</summary>
    public required string ScoreScale { get; init; }

    /// <summary>The base CNNs, at least one, with distinct names.</summary>
    public required IReadOnlyList<BaseModelEntry> BaseModels { get; init; }

    /// <summary>The linear combination of base-model scores that gives the ensemble score.</summary>
    public required MetaLearnerEntry MetaLearner { get; init; }

    /// <summary>How the ensemble was made.</summary>
    public required Provenance Provenance { get; init; }

    /// <summary>Evaluation metrics by name (e.g. "srocc", "plcc", "krocc", "rmse"); finite values, may be empty.</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>When the ensemble was assembled.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
