using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Preprocessing;

namespace MetaQap.Imaging.Pristine;

/// <summary>
/// Pristine photos from a folder and its subfolders (jpg, jpeg, png, webp, bmp; hidden files skipped), ordered by
/// relative path so content indices are the same on every machine. A sample is a random square crop after a random
/// downscale (log-uniform factor in [MinScale, 1]); photos are never upscaled, so a photo whose shorter side is
/// below the requested size is refused with an <see cref="ArgumentOutOfRangeException"/> naming it. Use
/// <see cref="FolderSourceOptions.MinSide"/> to leave such photos out up front. Content ids are relative paths.
/// </summary>
public sealed class FolderPristineSource : IPristineSource
{
    private const int HeaderProbeBytes = 256 * 1024;
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".webp", ".bmp"];
    private readonly string _root;
    private readonly string[] _files;
    private readonly FolderSourceOptions _options;
    private readonly DecodedImageCache _cache;

    public FolderPristineSource(string folder, FolderSourceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        _options = options ?? FolderSourceOptions.Default;
        if (!(_options.MinScale > 0f && _options.MinScale <= 1f) || _options.MinSide < 0 || _options.CacheBytes < 0 || _options.ViewSide is <= 0)
        {
            throw new ArgumentException("Need 0 < MinScale <= 1, MinSide >= 0, CacheBytes >= 0 and ViewSide > 0 when set.", nameof(options));
        }

        _root = Path.GetFullPath(folder);
        if (!Directory.Exists(_root))
        {
            throw new DirectoryNotFoundException($"Pristine folder '{_root}' does not exist.");
        }

        string leaf = Path.GetFileName(Path.TrimEndingDirectorySeparator(_root));
        Name = _options.Name ?? (leaf.Length > 0 ? leaf : "folder");
        var exclude = _options.Exclude.Select(pattern => new GlobPattern(pattern)).ToArray();
        var skipped = new List<string>();
        var files = new List<string>();
        foreach (string path in Directory.EnumerateFiles(_root, "*", new EnumerationOptions { RecurseSubdirectories = true }))
        {
            string relative = Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (!Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase)
                || exclude.Any(glob => glob.IsMatch(relative)))
            {
                continue;
            }

            string? tooSmall = _options.MinSide > 0 ? CheckMinSide(path, relative, _options.MinSide) : null;
            if (tooSmall is null)
            {
                files.Add(relative);
            }
            else
            {
                skipped.Add(tooSmall);
            }
        }

        files.Sort(StringComparer.Ordinal);
        skipped.Sort(StringComparer.Ordinal);
        _files = [.. files];
        Skipped = skipped;
        _cache = new DecodedImageCache(_options.CacheBytes);
    }

    public string Name { get; }

    public int ContentCount => _files.Length;

    /// <summary>Photos left out by <see cref="FolderSourceOptions.MinSide"/>, each with the reason.</summary>
    public IReadOnlyList<string> Skipped { get; }

    public string ContentId(int contentIndex) => _files[CheckIndex(contentIndex)];

    public PristineSample Sample(int contentIndex, int size, int seed)
    {
        string relative = _files[CheckIndex(contentIndex)];
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        PackedPhoto photo = _cache.GetOrAdd(contentIndex, _ => new PackedPhoto(View(Decode(relative))));
        int shorter = Math.Min(photo.Width, photo.Height);
        if (shorter < size)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size,
                $"'{relative}' is {photo.Width}x{photo.Height}: a {size}x{size} sample would need upscaling, which a " +
                $"pristine source refuses. Set {nameof(FolderSourceOptions.MinSide)} >= {size} to leave such photos out.");
        }

        var rng = new SplitMix64(SplitMix64.Hash((ulong)contentIndex, (ulong)size, (ulong)(uint)seed));

        // Output pixels per photo pixel, log-uniform; never above 1 and never so small the crop leaves the photo.
        float minScale = MathF.Max(_options.MinScale, (float)size / shorter);
        float scale = minScale * MathF.Exp(rng.NextFloat() * -MathF.Log(minScale));
        int side = Math.Clamp((int)MathF.Round(size / scale), size, shorter);
        int x = rng.NextInt(photo.Width - side + 1), y = rng.NextInt(photo.Height - side + 1);
        RgbImage crop = photo.Crop(x, y, side);
        return new PristineSample(side == size ? crop : ImageResampler.Resize(crop, size, size), relative);
    }

    private RgbImage View(RgbImage photo) =>
        _options.ViewSide is int side && Math.Min(photo.Width, photo.Height) > side ? ImageResampler.ResizeShorterSide(photo, side) : photo;

    private RgbImage Decode(string relative)
    {
        try
        {
            return ImageDecoder.DecodeFile(Path.Combine(_root, relative), _options.Decode);
        }
        catch (ImageDecodeException e)
        {
            throw new ImageDecodeException(e.Code, $"'{relative}' in {_root}: {e.Message}", e);
        }
    }

    /// <summary>Reads the declared size from the file's first bytes; the reason it is left out, or null to keep it.</summary>
    private static string? CheckMinSide(string path, string relative, int minSide)
    {
        try
        {
            ImageHeader header = ReadHeader(path);
            int shorter = Math.Min(header.Width, header.Height);
            return shorter >= minSide ? null : $"{relative}: shorter side {shorter} < {minSide}";
        }
        catch (ImageDecodeException e)
        {
            return $"{relative}: {e.Code}: {e.Message}";
        }
    }

    private static ImageHeader ReadHeader(string path)
    {
        using var stream = File.OpenRead(path);
        var prefix = new byte[(int)Math.Min(stream.Length, HeaderProbeBytes)];
        stream.ReadExactly(prefix);
        try
        {
            return ImageHeaderReader.Read(prefix);
        }
        catch (ImageDecodeException e) when (e.Code == ImageErrorCode.Truncated && prefix.Length < stream.Length)
        {
            // A JPEG can carry large metadata before its frame header; read it all.
            return ImageHeaderReader.Read(File.ReadAllBytes(path));
        }
    }

    private int CheckIndex(int contentIndex)
    {
        if ((uint)contentIndex >= (uint)_files.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(contentIndex), contentIndex, $"{Name} has {_files.Length} photos.");
        }

        return contentIndex;
    }
}
