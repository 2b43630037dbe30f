namespace MetaQap.Imaging.Distortions.Support;

/// <summary>
/// A small seeded PRNG (xoshiro256**, seeded through SplitMix64) with a ziggurat normal sampler.
/// Our own generator rather than System.Random so that a seed gives the same distortion on every runtime, and
/// because the noise distortions draw hundreds of thousands of normals per image: the ziggurat needs a
/// transcendental call only in the rare wedge and tail cases, Box–Muller needs two per pair.
/// </summary>
internal sealed class DistortionRandom
{
    private const int ZigguratLayers = 128;
    private const double TailStart = 3.442619855899;
    private const double LayerArea = 9.91256303526217e-3;

    // Layer edges x[i] and the ratios x[i+1]/x[i] (Doornik's ZIGNOR layout: layer 0 is the base with the tail).
    private static readonly double[] s_layerX = BuildLayerEdges();
    private static readonly double[] s_layerRatio = BuildLayerRatios(s_layerX);

    private static readonly float[] s_layerXSingle = Array.ConvertAll(s_layerX, x => (float)x);
    private static readonly float[] s_layerRatioSingle = Array.ConvertAll(s_layerRatio, r => (float)r);

    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private uint _spareHalf;
    private bool _hasSpareHalf;

    public DistortionRandom(int seed, int stream)
    {
        ulong state = ((ulong)(uint)seed << 32) ^ (uint)stream ^ 0x6A09E667F3BCC909UL;
        _s0 = SplitMix(ref state);
        _s1 = SplitMix(ref state);
        _s2 = SplitMix(ref state);
        _s3 = SplitMix(ref state);
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>32 random bits: each 64-bit draw serves two calls.</summary>
    public uint NextUInt32()
    {
        if (_hasSpareHalf)
        {
            _hasSpareHalf = false;
            return _spareHalf;
        }

        ulong bits = NextUInt64();
        _spareHalf = (uint)(bits >> 32);
        _hasSpareHalf = true;
        return (uint)bits;
    }

    /// <summary>
    /// Standard normal in single precision from 32 random bits (7 pick the layer, 24 the position), for the
    /// per-pixel noise and displacement fields where float resolution is all that is kept anyway.
    /// </summary>
    public float NextGaussianSingle()
    {
        uint bits = NextUInt32();
        int layer = (int)(bits & (ZigguratLayers - 1));
        float u = (2f * ((bits >> 8) * (1f / (1 << 24)))) - 1f;
        return MathF.Abs(u) < s_layerRatioSingle[layer] ? u * s_layerXSingle[layer] : (float)SlowGaussian(layer, u);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in (0, 1): safe for a logarithm.</summary>
    public double NextOpenDouble() => ((NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [minInclusive, maxInclusive].</summary>
    public int NextInt(int minInclusive, int maxInclusive)
    {
        ulong span = (ulong)((long)maxInclusive - minInclusive + 1);
        return (int)(minInclusive + (long)((NextUInt64() >> 11) % span));
    }

    /// <summary>The ziggurat's rare cases: the tail below the base layer, or a point in a layer's wedge.</summary>
    private double SlowGaussian(int layer, double u)
    {
        while (true)
        {
            if (layer == 0)
            {
                return SampleTail(u < 0);
            }

            double x = u * s_layerX[layer];
            double fOuter = Math.Exp(-0.5 * ((s_layerX[layer] * s_layerX[layer]) - (x * x)));
            double fInner = Math.Exp(-0.5 * ((s_layerX[layer + 1] * s_layerX[layer + 1]) - (x * x)));
            if (fInner + (NextDouble() * (fOuter - fInner)) < 1.0)
            {
                return x;
            }

            // Rejected: draw afresh, taking the rectangle fast path when it applies.
            ulong bits = NextUInt64();
            layer = (int)(bits & (ZigguratLayers - 1));
            u = (2.0 * ((bits >> 11) * (1.0 / (1UL << 53)))) - 1.0;
            if (Math.Abs(u) < s_layerRatio[layer])
            {
                return u * s_layerX[layer];
            }
        }
    }

    private double SampleTail(bool negative)
    {
        double x;
        double y;
        do
        {
            x = Math.Log(NextOpenDouble()) / TailStart;
            y = Math.Log(NextOpenDouble());
        }
        while (-2 * y < x * x);

        return negative ? x - TailStart : TailStart - x;
    }

    private static double[] BuildLayerEdges()
    {
        var x = new double[ZigguratLayers + 1];
        double f = Math.Exp(-0.5 * TailStart * TailStart);
        x[0] = LayerArea / f;
        x[1] = TailStart;
        x[ZigguratLayers] = 0;
        for (int i = 2; i < ZigguratLayers; i++)
        {
            x[i] = Math.Sqrt(-2 * Math.Log((LayerArea / x[i - 1]) + f));
            f = Math.Exp(-0.5 * x[i] * x[i]);
        }

        return x;
    }

    private static double[] BuildLayerRatios(double[] x)
    {
        var ratio = new double[ZigguratLayers];
        for (int i = 0; i < ZigguratLayers; i++)
        {
            ratio[i] = x[i + 1] / x[i];
        }

        return ratio;
    }

    private static ulong SplitMix(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
