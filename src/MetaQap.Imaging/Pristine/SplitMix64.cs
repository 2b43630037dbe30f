namespace MetaQap.Imaging.Pristine;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator whose seeds can be derived by hashing, so every
/// leaf of a dead-leaves scene gets its own stream keyed by (content, leaf index). That makes a scene independent
/// of which part of it is rendered, and lets leaves outside a view be rejected after two or three draws.
/// </summary>
internal struct SplitMix64
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private ulong _state;
    private float _spare;
    private bool _hasSpare;

    public SplitMix64(ulong seed) => _state = seed;

    public static ulong Hash(ulong a, ulong b) => Finalize((a * Gamma) ^ Finalize(b + Gamma));

    public static ulong Hash(ulong a, ulong b, ulong c) => Hash(Hash(a, b), c);

    public ulong NextUInt64() => Finalize(_state += Gamma);

    /// <summary>Uniform in [0, 1) with 24 bits, the precision of a float.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    public float NextFloat(float min, float max) => min + ((max - min) * NextFloat());

    public int NextInt(int exclusiveMax) => (int)((NextUInt64() >> 33) % (ulong)exclusiveMax);

    /// <summary>Standard normal by Box–Muller; the second value of each pair is kept for the next call.</summary>
    public float NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        float u1 = 1f - NextFloat();
        float angle = 2f * MathF.PI * NextFloat();
        float radius = MathF.Sqrt(-2f * MathF.Log(u1));
        (float sin, float cos) = MathF.SinCos(angle);
        _spare = radius * sin;
        _hasSpare = true;
        return radius * cos;
    }

    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
