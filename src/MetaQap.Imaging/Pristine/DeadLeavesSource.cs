using System.Globalization;

namespace MetaQap.Imaging.Pristine;

/// <summary>
/// Synthetic pristine content from the dead-leaves model (Lee, Mumford, Huang 2001; the camera texture chart of
/// Cao, Guichard, Cornu): occluding leaves with power-law radii give scale invariance and a power spectrum close to
/// 1/f², like natural images. Leaves are disks, ellipses, rectangles and convex polygons with a natural-image-like
/// palette, linear shading and band-limited 1/f^β texture, anti-aliased analytically, under a mild illumination
/// gradient; everything is in focus. Content i is the scene seeded by (baseSeed, i); a sample is a seeded square
/// view of it rendered directly at the requested size. See docs/pristine.md.
/// </summary>
public sealed class DeadLeavesSource : IPristineSource
{
    private const ulong SceneTag = 0xDEAD1EAF, TextureTag = 0x7E37;
    private readonly int _contentCount;
    private readonly ulong _baseSeed;
    private readonly DeadLeavesOptions _options;
    private readonly TextureBank _textures;
    private readonly DeadLeavesRenderer _renderer;

    public DeadLeavesSource(int contentCount, int baseSeed, DeadLeavesOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(contentCount);
        _options = options ?? DeadLeavesOptions.Default;
        _options.Validate();
        _contentCount = contentCount;
        _baseSeed = SplitMix64.Hash((ulong)(uint)baseSeed, SceneTag);
        _textures = new TextureBank(_options.TextureCount, _options.TextureSize, SplitMix64.Hash(_baseSeed, TextureTag));
        _renderer = new DeadLeavesRenderer(_options, _textures);
        Name = string.Create(CultureInfo.InvariantCulture, $"deadleaves-{baseSeed}");
    }

    public string Name { get; }

    public int ContentCount => _contentCount;

    public string ContentId(int contentIndex)
    {
        CheckIndex(contentIndex);
        return contentIndex.ToString(CultureInfo.InvariantCulture);
    }

    public PristineSample Sample(int contentIndex, int size, int seed)
    {
        CheckIndex(contentIndex);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ulong contentSeed = SplitMix64.Hash(_baseSeed, (ulong)contentIndex);
        var style = new SceneStyle(contentSeed, _options, _textures.Count);
        var view = new SplitMix64(SplitMix64.Hash(contentSeed, (ulong)size, (ulong)(uint)seed));
        float side = view.NextFloat(_options.ViewMin, _options.ViewMax);
        float x = view.NextFloat(0f, 1f - side), y = view.NextFloat(0f, 1f - side);
        return new PristineSample(_renderer.Render(style, x, y, side, size), ContentId(contentIndex));
    }

    private void CheckIndex(int contentIndex)
    {
        if ((uint)contentIndex >= (uint)_contentCount)
        {
            throw new ArgumentOutOfRangeException(nameof(contentIndex), contentIndex,
                $"{Name} has {_contentCount} contents.");
        }
    }
}
