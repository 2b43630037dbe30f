namespace MetaQap.Imaging.Pristine;

/// <summary>
/// What makes one dead-leaves content look like one scene rather than confetti: a small palette of dominant
/// colours with a shared colour cast, laid out in regions by a smooth random field (so neighbouring leaves tend to
/// share a palette colour, as the parts of one object or surface do), a subset of the texture bank, and a global
/// illumination gradient. Colours are drawn in luminance plus two opponent chroma axes with muted spread, wider
/// along the blue–yellow (daylight) axis than along red–green, as in natural photographs, with few purples;
/// out-of-gamut colours lose chroma, not luminance.
/// </summary>
internal sealed class SceneStyle
{
    // Unit directions in BT.601 (Cb, Cr): towards sky blue, and towards red (its negative is foliage green).
    private const float BlueCb = 0.83f, BlueCr = -0.56f, RedCb = 0.56f, RedCr = 0.83f;
    private const float AccentProbability = 0.08f;
    private const int RegionWaves = 4;
    private readonly float[] _anchorY, _anchorBlue, _anchorRed;
    private readonly float[] _waveX = new float[RegionWaves], _waveY = new float[RegionWaves], _wavePhase = new float[RegionWaves];
    private readonly int[] _textures;
    private readonly float _chromaScale;

    public SceneStyle(ulong contentSeed, DeadLeavesOptions options, int textureCount)
    {
        var rng = new SplitMix64(SplitMix64.Hash(contentSeed, 0x5CE4E));
        LeafSeed = SplitMix64.Hash(contentSeed, 0x1EAF);
        _chromaScale = options.ChromaScale;
        int anchors = 3 + rng.NextInt(4);
        float castBlue = 0.03f * rng.NextGaussian(), castRed = 0.02f * rng.NextGaussian();
        _anchorY = new float[anchors];
        _anchorBlue = new float[anchors];
        _anchorRed = new float[anchors];
        for (int a = 0; a < anchors; a++)
        {
            _anchorY[a] = Math.Clamp(0.42f + (0.2f * rng.NextGaussian()), 0.05f, 0.95f);
            _anchorBlue[a] = castBlue + (0.06f * rng.NextGaussian());
            _anchorRed[a] = castRed + (0.035f * rng.NextGaussian());
        }

        for (int w = 0; w < RegionWaves; w++)
        {
            // 0.7 to 3 cycles per scene in a random direction: regions from a tenth to most of a view.
            float frequency = 2f * MathF.PI * rng.NextFloat(0.7f, 3f), direction = rng.NextFloat(0f, MathF.PI);
            _waveX[w] = frequency * MathF.Cos(direction);
            _waveY[w] = frequency * MathF.Sin(direction);
            _wavePhase[w] = rng.NextFloat(0f, 2f * MathF.PI);
        }

        _textures = [rng.NextInt(textureCount), rng.NextInt(textureCount), rng.NextInt(textureCount)];
        float angle = rng.NextFloat(0f, 2f * MathF.PI);
        float strength = rng.NextFloat(0f, options.IlluminationStrength);
        IlluminationX = strength * MathF.Cos(angle);
        IlluminationY = strength * MathF.Sin(angle);
        for (int a = 0; a < anchors; a++)
        {
            ToRgb(_anchorY[a], _anchorBlue[a] * _chromaScale, _anchorRed[a] * _chromaScale, out float r, out float g, out float b);
            BackgroundR += r / anchors;
            BackgroundG += g / anchors;
            BackgroundB += b / anchors;
        }
    }

    /// <summary>Seed from which every leaf's own stream is hashed.</summary>
    public ulong LeafSeed { get; }

    /// <summary>Relative illumination change per scene unit along x and y, centred on the scene.</summary>
    public float IlluminationX { get; }

    public float IlluminationY { get; }

    /// <summary>
    /// Colour behind all leaves (mean of the palette). It shows only through what is left when a pixel counts as
    /// covered (under 1/512 of it), or through a view that hits the leaf cap.
    /// </summary>
    public float BackgroundR { get; }

    public float BackgroundG { get; }

    public float BackgroundB { get; }

    public int PickTexture(ref SplitMix64 rng) => _textures[rng.NextInt(_textures.Length)];

    /// <summary>Colour of a leaf centred at scene point (x, y).</summary>
    public void LeafColour(ref SplitMix64 rng, float x, float y, out float r, out float g, out float b)
    {
        float luma, blue, red;
        if (rng.NextFloat() < AccentProbability)
        {
            // Occasional objects that do not follow the palette (flowers, signs, clothing).
            luma = 0.45f + (0.22f * rng.NextGaussian());
            blue = 0.1f * rng.NextGaussian();
            red = 0.07f * rng.NextGaussian();
        }
        else
        {
            int a = Anchor(x, y, rng.NextGaussian());
            luma = _anchorY[a] + (0.08f * rng.NextGaussian());
            blue = _anchorBlue[a] + (0.02f * rng.NextGaussian());
            red = _anchorRed[a] + (0.02f * rng.NextGaussian());
        }

        ToRgb(Math.Clamp(luma, 0.03f, 0.97f), blue * _chromaScale, red * _chromaScale, out r, out g, out b);
    }

    /// <summary>Palette entry for a point: the region field's level, blurred by per-leaf noise so borders mingle.</summary>
    private int Anchor(float x, float y, float jitter)
    {
        float field = 0f;
        for (int w = 0; w < RegionWaves; w++)
        {
            field += MathF.Cos((_waveX[w] * x) + (_waveY[w] * y) + _wavePhase[w]);
        }

        // The sum of four unit waves has a standard deviation of about 1.4; spread that over the palette.
        float level = 0.5f + (field / 5.6f) + (0.12f * jitter);
        return Math.Clamp((int)(level * _anchorY.Length), 0, _anchorY.Length - 1);
    }

    /// <summary>
    /// Opponent colour to BT.601 YCbCr to RGB, shrinking chroma just enough that every channel stays in [0, 1].
    /// Purples and magentas (blue and red together) are rare in natural scenes, so that quadrant is compressed.
    /// </summary>
    private static void ToRgb(float y, float blue, float red, out float r, out float g, out float b)
    {
        if (blue > 0f && red > 0f)
        {
            red *= 0.4f;
        }

        float cb = (blue * BlueCb) + (red * RedCb);
        float cr = (blue * BlueCr) + (red * RedCr);
        float dr = 1.402f * cr, dg = (-0.344136f * cb) - (0.714136f * cr), db = 1.772f * cb;
        float s = MathF.Min(1f, MathF.Min(Fit(y, dr), MathF.Min(Fit(y, dg), Fit(y, db))));
        r = y + (s * dr);
        g = y + (s * dg);
        b = y + (s * db);
    }

    private static float Fit(float y, float delta) =>
        delta > 0f ? (1f - y) / delta : delta < 0f ? y / -delta : 1f;
}
