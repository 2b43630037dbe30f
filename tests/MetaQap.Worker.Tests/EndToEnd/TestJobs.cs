using MetaQap.Contracts;
using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Pixels;
using MetaQap.Testing;
using MetaQap.Worker.Tests.Support;

namespace MetaQap.Worker.Tests.EndToEnd;

/// <summary>Writes the images of a test job into a file root (and a folder beside it that is out of bounds).</summary>
internal static class TestJobs
{
    /// <summary>KADID-10k Gaussian-blur levels used (sigma 0.5, 1, 2, 5 px); 0 stands for the pristine image.</summary>
    public static readonly int[] BlurLevels = [0, 2, 3, 4, 5];

    public const int ImageSize = 96;

    /// <summary>contents × (pristine + 4 blur levels) PNGs, referenced as relative paths, absolute paths and file:// URIs.</summary>
    public static List<ExpectedImage> Graded(TempFolder root, int contents, string prefix = "img", int size = ImageSize,
        Func<int, RgbImage>? content = null)
    {
        Directory.CreateDirectory(root.Combine("good"));
        var images = new List<ExpectedImage>();
        for (int c = 0; c < contents; c++)
        {
            RgbImage pristine = content?.Invoke(c) ?? SyntheticImages.Content(size, seed: 1000 + c);
            foreach (int level in BlurLevels)
            {
                string name = $"{prefix}-{c:D3}-l{level}.png";
                string path = root.Combine("good", name);
                RgbImage image = level == 0 ? pristine : Distorter.Apply(pristine, DistortionType.GaussianBlur, level, seed: c);
                File.WriteAllBytes(path, ImageEncoder.EncodePng(image));
                string uri = (c % 3) switch
                {
                    0 => $"good/{name}",
                    1 => path,
                    _ => new Uri(path).AbsoluteUri,
                };
                images.Add(new ExpectedImage(new ImageReference { Id = name, Uri = uri }, level, null));
            }
        }

        return images;
    }

    /// <summary>One image for every way an image can fail (plus one good inline image), with the expected code.</summary>
    public static List<ExpectedImage> Troublemakers(TempFolder root, TempFolder outside)
    {
        string png = Convert.ToBase64String(ImageEncoder.EncodePng(SyntheticImages.Content(32, seed: 7)));
        File.WriteAllBytes(outside.Combine("secret.png"), ImageEncoder.EncodePng(SyntheticImages.Content(32, seed: 8)));
        File.CreateSymbolicLink(root.Combine("link-out.png"), outside.Combine("secret.png"));
        File.WriteAllBytes(root.Combine("corrupt.jpg"), SyntheticImages.CorruptJpeg(seed: 9));
        File.WriteAllBytes(root.Combine("empty.png"), []);
        File.WriteAllBytes(root.Combine("bomb.png"), BrokenImages.PngHeaderOnly(30000, 30000));
        File.WriteAllText(root.Combine("notes.jpg"), "this is not an image\n");

        return
        [
            Bad("missing-file", FailureCode.NotFound, uri: "good/no-such-image.png"),
            Bad("outside-root", FailureCode.AccessDenied, uri: outside.Combine("secret.png")),
            Bad("dot-dot", FailureCode.AccessDenied, uri: $"good/../../{System.IO.Path.GetFileName(outside.Path)}/secret.png"),
            Bad("symlink-out", FailureCode.AccessDenied, uri: "link-out.png"),
            Bad("corrupt-jpeg", FailureCode.Corrupt, uri: "corrupt.jpg"),
            Bad("zero-bytes", FailureCode.Empty, uri: "empty.png"),
            Bad("header-30000x30000", FailureCode.TooLarge, uri: "bomb.png"),
            Bad("text-as-jpeg", FailureCode.UnsupportedFormat, uri: "notes.jpg"),
            Bad("ssrf-loopback", FailureCode.AccessDenied, uri: "http://127.0.0.1:9/image.png"),
            Bad("host-not-allowed", FailureCode.AccessDenied, uri: "https://cdn.example.com/image.png"),
            Bad("ftp-scheme", FailureCode.InvalidReference, uri: "ftp://example.com/image.png"),
            Bad("uri-and-base64", FailureCode.InvalidReference, uri: "good/x.png", base64: png),
            Bad("bad-base64", FailureCode.InvalidReference, base64: "not base64 at all!"),
            new(new ImageReference { Id = "inline-ok", Base64 = png }, null, null),
        ];
    }

    private static ExpectedImage Bad(string id, FailureCode code, string? uri = null, string? base64 = null) =>
        new(new ImageReference { Id = id, Uri = uri, Base64 = base64 }, null, code);
}
