namespace MetaQap.Imaging.Pristine;

/// <summary>
/// Tileable Gaussian random-field textures with power spectra 1/f^β (β from granular to smooth, some anisotropic
/// like grain or streaks), each normalised to zero mean and unit RMS and mip-mapped so that a leaf rendered at any
/// scale samples a level with at most one texel per pixel (no aliasing). The leaves modulate their shading with
/// these, which gives them the fine-scale detail that blur, noise and compression destroy.
/// </summary>
internal sealed class TextureBank
{
    private const int SmallestLevel = 8;
    private readonly TextureLevel[][] _levels;

    public TextureBank(int count, int size, ulong seed)
    {
        if (size < SmallestLevel || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "Texture size must be a power of two of at least 8.");
        }

        _levels = new TextureLevel[count][];
        for (int t = 0; t < count; t++)
        {
            float beta = count == 1 ? 1.5f : 0.6f + (1.6f * t / (count - 1));
            var rng = new SplitMix64(SplitMix64.Hash(seed, (ulong)t));
            bool anisotropic = t % 2 == 1;
            _levels[t] = MipChain(Synthesize(size, beta, anisotropic, ref rng), size);
        }
    }

    public int Count => _levels.Length;

    public int BaseSize => _levels[0][0].Size;

    public int LevelCount => _levels[0].Length;

    public TextureLevel Level(int texture, int level) => _levels[texture][level];

    private static float[] Synthesize(int n, float beta, bool anisotropic, ref SplitMix64 rng)
    {
        var re = new float[n * n];
        var im = new float[n * n];
        float orientation = rng.NextFloat(0f, MathF.PI);
        float spread = rng.NextFloat(0.15f, 0.45f);
        for (int ky = 0; ky < n; ky++)
        {
            int fy = ky <= n / 2 ? ky : ky - n;
            for (int kx = 0; kx < n; kx++)
            {
                int fx = kx <= n / 2 ? kx : kx - n;
                if (fx == 0 && fy == 0)
                {
                    continue;
                }

                float f = MathF.Sqrt((fx * fx) + (fy * fy));
                float amplitude = MathF.Pow(f, -beta / 2f);
                if (anisotropic)
                {
                    // Energy concentrated around one frequency direction (and its opposite): grain, streaks.
                    float delta = MathF.Atan2(fy, fx) - orientation;
                    float off = MathF.Asin(MathF.Abs(MathF.Sin(delta)));
                    amplitude *= 0.1f + MathF.Exp(-(off * off) / (2f * spread * spread));
                }

                re[(ky * n) + kx] = amplitude * rng.NextGaussian();
                im[(ky * n) + kx] = amplitude * rng.NextGaussian();
            }
        }

        Fft.Transform2D(re, im, n, inverse: true);
        Normalize(re);
        return re;
    }

    private static void Normalize(float[] values)
    {
        double sum = 0, sumSq = 0;
        foreach (float v in values)
        {
            sum += v;
            sumSq += (double)v * v;
        }

        double mean = sum / values.Length;
        double std = Math.Sqrt(Math.Max((sumSq / values.Length) - (mean * mean), 1e-20));
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((values[i] - mean) / std);
        }
    }

    private static TextureLevel[] MipChain(float[] top, int size)
    {
        var levels = new List<TextureLevel> { new(top, size) };
        float[] current = top;
        for (int s = size / 2; s >= SmallestLevel; s /= 2)
        {
            var next = new float[s * s];
            int prev = s * 2;
            for (int y = 0; y < s; y++)
            {
                for (int x = 0; x < s; x++)
                {
                    int i = (2 * y * prev) + (2 * x);
                    next[(y * s) + x] = 0.25f * (current[i] + current[i + 1] + current[i + prev] + current[i + prev + 1]);
                }
            }

            levels.Add(new TextureLevel(next, s));
            current = next;
        }

        return [.. levels];
    }
}
