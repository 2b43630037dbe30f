namespace MetaQap.Imaging.Pristine;

/// <summary>
/// Parameters of the dead-leaves scenes. Lengths are in scene units: a content is the unit square, and a sample is a
/// square view of side <see cref="ViewMin"/>..<see cref="ViewMax"/> of it rendered at the requested pixel size. The
/// defaults put the smallest leaves at about one pixel in a 224-pixel view, so detail reaches the pixel scale.
/// </summary>
public sealed record DeadLeavesOptions
{
    public static readonly DeadLeavesOptions Default = new();

    /// <summary>Smallest leaf radius (radius of the disk of equal area).</summary>
    public float MinRadius { get; init; } = 0.004f;

    /// <summary>Largest leaf radius.</summary>
    public float MaxRadius { get; init; } = 0.3f;

    /// <summary>Radii follow a power law r^-Exponent; 3 makes the model scale invariant (Lee, Mumford, Huang 2001).</summary>
    public float Exponent { get; init; } = 3f;

    /// <summary>Smallest view side, as a fraction of the scene.</summary>
    public float ViewMin { get; init; } = 0.5f;

    /// <summary>Largest view side, as a fraction of the scene.</summary>
    public float ViewMax { get; init; } = 0.85f;

    /// <summary>Share of leaves that are ellipses (aspect up to 2.5).</summary>
    public float EllipseFraction { get; init; } = 0.2f;

    /// <summary>Share of leaves that are rotated rectangles (aspect up to 3).</summary>
    public float RectangleFraction { get; init; } = 0.1f;

    /// <summary>Share of leaves that are convex polygons (3 to 7 sides); the rest are disks.</summary>
    public float PolygonFraction { get; init; } = 0.15f;

    /// <summary>Largest relative luminance change of a leaf's linear shading across its diameter.</summary>
    public float ShadingStrength { get; init; } = 0.3f;

    /// <summary>Smallest RMS contrast of a leaf's texture (log-uniform between min and max).</summary>
    public float TextureContrastMin { get; init; } = 0.015f;

    /// <summary>Largest RMS contrast of a leaf's texture.</summary>
    public float TextureContrastMax { get; init; } = 0.18f;

    /// <summary>Texture frequency range in texels per scene unit (log-uniform per leaf).</summary>
    public float TextureDensityMin { get; init; } = 120f;

    public float TextureDensityMax { get; init; } = 700f;

    /// <summary>Scales the chroma of the colour model; 1 gives the muted saturation of natural photos.</summary>
    public float ChromaScale { get; init; } = 1f;

    /// <summary>Largest relative change of the global illumination gradient across the scene.</summary>
    public float IlluminationStrength { get; init; } = 0.2f;

    /// <summary>Number of textures in the bank shared by all contents of a source.</summary>
    public int TextureCount { get; init; } = 8;

    /// <summary>Side of each texture, a power of two.</summary>
    public int TextureSize { get; init; } = 256;

    /// <summary>Safety cap on leaves per render; a view is normally covered long before.</summary>
    public int MaxLeaves { get; init; } = 5_000_000;

    internal void Validate()
    {
        if (!(MinRadius > 0f && MaxRadius > MinRadius))
        {
            throw new ArgumentException($"Need 0 < MinRadius < MaxRadius, got {MinRadius} and {MaxRadius}.");
        }

        if (!(Exponent > 1f))
        {
            throw new ArgumentException($"Exponent must exceed 1, got {Exponent}.");
        }

        if (!(ViewMin > 0f && ViewMax >= ViewMin && ViewMax <= 1f))
        {
            throw new ArgumentException($"Need 0 < ViewMin <= ViewMax <= 1, got {ViewMin} and {ViewMax}.");
        }

        float shapes = EllipseFraction + RectangleFraction + PolygonFraction;
        if (EllipseFraction < 0f || RectangleFraction < 0f || PolygonFraction < 0f || shapes > 1f)
        {
            throw new ArgumentException($"Shape fractions must be non-negative and sum to at most 1, got {shapes}.");
        }

        if (!(TextureContrastMin > 0f && TextureContrastMax >= TextureContrastMin
            && TextureDensityMin > 0f && TextureDensityMax >= TextureDensityMin))
        {
            throw new ArgumentException("Texture contrast and density ranges must be positive with min <= max.");
        }

        if (ShadingStrength < 0f || IlluminationStrength < 0f || IlluminationStrength >= 1f || ChromaScale < 0f)
        {
            throw new ArgumentException("Shading, illumination (< 1) and chroma scale must be non-negative.");
        }

        if (TextureCount < 1 || MaxLeaves < 1)
        {
            throw new ArgumentException("TextureCount and MaxLeaves must be positive.");
        }
    }
}
