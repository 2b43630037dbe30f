namespace MetaQap.Imaging.Corpus;

/// <summary>
/// Derives independent, reproducible seeds from (seed, epoch, index, stream) with SplitMix64 finalisation, so
/// sample i of epoch e is the same whichever thread makes it and in whatever order. The corpus and the trainers
/// draw every random choice this way instead of from a running generator.
/// </summary>
public static class SeedMixer
{
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
