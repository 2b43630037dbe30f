namespace MetaQap.Modeling.Artifacts;

/// <summary>Where an ensemble came from, enough to reproduce it.</summary>
public sealed record Provenance
{
    /// <summary>Name of the training recipe, e.g. "cpu-default".</summary>
    public required string Recipe { get; init; }

    /// <summary>The command line that produced the ensemble.</summary>
    public required string Command { get; init; }

    /// <summary>The training data, one description each (source, licence, seed, size); at least one.</summary>
    public required IReadOnlyList<string> TrainingData { get; init; }

    /// <summary>Master seed of the run.</summary>
    public required long Seed { get; init; }

    /// <summary>Commit of the code that trained it ("unknown" outside a git checkout).</summary>
    public required string GitCommit { get; init; }

    /// <summary>Optional free text: caveats, licence notes, a pointer to the model card.</summary>
    public string? Notes { get; init; }
}
