using MetaQap.Imaging.Corpus;

namespace MetaQap.Modeling.Training;

/// <summary>
/// Independent seeds from (seed, epoch, index, stream) by SplitMix64 finalisation. Every random choice of a run
/// (shuffle, crop, flip, dropout) is seeded from its epoch rather than from a running generator, so a run resumed
/// at an epoch boundary draws exactly what the uninterrupted run would have drawn.
/// </summary>
internal static class TrainingSeeds
{
    public const int Shuffle = 1;
    public const int Augment = 2;
    public const int Dropout = 3;
    public const int ValidationSubset = 4;

    public static int Mix(int seed, int epoch, long index, int stream) => SeedMixer.Mix(seed, epoch, index, stream);
}
