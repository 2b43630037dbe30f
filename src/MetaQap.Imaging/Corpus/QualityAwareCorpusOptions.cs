using MetaQap.Imaging.Distortions;

namespace MetaQap.Imaging.Corpus;

public sealed record QualityAwareCorpusOptions
{
    /// <summary>Side of the square samples, in pixels (the models' input size).</summary>
    public int Size { get; init; } = 224;

    /// <summary>Seed of everything random: crops, noise, the order of an epoch.</summary>
    public int Seed { get; init; }

    /// <summary>Distortion types to draw from; all 25 KADID-10k types by default.</summary>
    public IReadOnlyList<DistortionType> Types { get; init; } = Enum.GetValues<DistortionType>();

    /// <summary>Levels to draw from; 1..5 by default.</summary>
    public IReadOnlyList<int> Levels { get; init; } = [1, 2, 3, 4, 5];

    /// <summary>Worker threads generating samples ahead of the consumer.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Samples generated together; the next chunk is produced while the current one is consumed.</summary>
    public int ChunkSize { get; init; } = 32;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Size, 32, nameof(Size));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxDegreeOfParallelism, nameof(MaxDegreeOfParallelism));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ChunkSize, nameof(ChunkSize));
        if (Types.Count == 0 || Types.Distinct().Count() != Types.Count || Types.Any(t => !Enum.IsDefined(t)))
        {
            throw new ArgumentException("Types must be a non-empty list of distinct distortion types.", nameof(Types));
        }

        if (Levels.Count == 0 || Levels.Distinct().Count() != Levels.Count || Levels.Any(l => l is < 1 or > 5))
        {
            throw new ArgumentException("Levels must be a non-empty list of distinct levels in 1..5.", nameof(Levels));
        }
    }
}
