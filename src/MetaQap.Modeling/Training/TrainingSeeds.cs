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

    public static int Mix(int seed, int epoch, long index, int stream)
    {
        ulong z = (ulong)(uint)seed;
        z = Step(z ^ ((ulong)(uint)epoch << 32));
        z = Step(z ^ (ulong)index);
        z = Step(z ^ ((ulong)(uint)stream * 0x9E3779B97F4A7C15UL));
        return (int)(z >> 33);
    }

    private static ulong Step(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
