using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Cli.Tests;

public sealed class CliTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("metaqap-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Distort_list_prints_the_25_type_names_one_per_line()
    {
        (int code, string output, _) = await CliRunner.RunAsync("distort", "--list");

        Assert.Equal(0, code);
        Assert.Equal(DistortionCatalog.All.Select(d => d.Name), output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(25, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Distort_writes_an_image_of_the_same_size()
    {
        string input = Path.Combine(_root, "in.png");
        string output = Path.Combine(_root, "out", "blurred.png");
        File.WriteAllBytes(input, ImageEncoder.EncodePng(Gradient(80, 60)));

        (int code, _, string error) = await CliRunner.RunAsync("distort", input, "--type", "gaussian_blur", "--level", "4", "--out", output);

        Assert.True(code == 0, error);
        RgbImage result = ImageDecoder.DecodeFile(output);
        Assert.Equal((80, 60), (result.Width, result.Height));
    }

    [Theory]
    [InlineData("no_such_type", "3", "Unknown distortion type")]
    [InlineData("jpeg", "6", "--level must be 1..5")]
    public async Task Distort_rejects_bad_arguments_with_a_usage_error(string type, string level, string message)
    {
        string input = Path.Combine(_root, "in.png");
        File.WriteAllBytes(input, ImageEncoder.EncodePng(Gradient(16, 16)));

        (int code, _, string error) = await CliRunner.RunAsync("distort", input, "--type", type, "--level", level, "--out", Path.Combine(_root, "o.png"));

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Distort_reports_an_undecodable_input_as_bad_input()
    {
        string input = Path.Combine(_root, "text.jpg");
        File.WriteAllText(input, "not an image");

        (int code, _, string error) = await CliRunner.RunAsync("distort", input, "--type", "jpeg", "--out", Path.Combine(_root, "o.png"));

        Assert.Equal(3, code);
        Assert.Contains("not a JPEG, PNG, WebP or BMP", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Synth_writes_a_corpus_with_labels_and_a_contact_sheet()
    {
        string target = Path.Combine(_root, "corpus");

        (int code, string output, string error) = await CliRunner.RunAsync(
            "synth", "--synthetic", "--contents", "1", "--count", "12", "--size", "48", "--seed", "4", "--out", target);

        Assert.True(code == 0, error);
        Assert.Equal(13, File.ReadAllLines(Path.Combine(target, "mos.csv")).Length);
        Assert.Equal(12, Directory.GetFiles(Path.Combine(target, "images")).Length);
        Assert.True(new FileInfo(Path.Combine(target, "contact-sheet.png")).Length > 1000);
        Assert.Contains("wrote 12 samples", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Synth_types_keeps_only_the_named_distortions_and_refuses_an_unknown_name()
    {
        string target = Path.Combine(_root, "typed");

        (int code, _, string error) = await CliRunner.RunAsync(
            "synth", "--synthetic", "--contents", "1", "--count", "10", "--size", "48", "--types", "gaussian_blur", "jpeg", "--out", target);

        Assert.True(code == 0, error);
        string[] kinds = [.. File.ReadAllLines(Path.Combine(target, "corpus.csv")).Skip(1).Select(line => line.Split(',')[2])];
        Assert.Equal(10, kinds.Length); // 2 types x 5 levels, all of them
        Assert.Equal(["gaussian_blur", "jpeg"], kinds.Distinct().Order(StringComparer.Ordinal));

        (code, _, error) = await CliRunner.RunAsync(
            "synth", "--synthetic", "--contents", "1", "--count", "5", "--size", "48", "--types", "gaussian_blurr", "--out", Path.Combine(_root, "bad"));
        Assert.Equal(2, code);
        Assert.Contains("'gaussian_blurr' is not a distortion type; known: gaussian_blur, lens_blur", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Synth_without_a_pristine_source_is_a_usage_error()
    {
        (int code, _, string error) = await CliRunner.RunAsync("synth", "--out", Path.Combine(_root, "x"));

        Assert.Equal(2, code);
        Assert.Contains("--synthetic", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Synth_leaves_out_a_photo_smaller_than_the_size_with_one_warning_line()
    {
        string photos = Path.Combine(_root, "photos");
        Directory.CreateDirectory(photos);
        ImageEncoder.Save(Gradient(60, 40), Path.Combine(photos, "small.png"));
        ImageEncoder.Save(Gradient(120, 100), Path.Combine(photos, "large.png"));

        (int code, string output, string error) = await CliRunner.RunAsync(
            "synth", "--pristine", photos, "--count", "5", "--size", "96", "--out", Path.Combine(_root, "corpus"));

        Assert.True(code == 0, error);
        Assert.Equal("warning: left out small.png: shorter side 40 < 96", error.Trim());
        Assert.Contains("from 1 contents", output, StringComparison.Ordinal);

        (code, _, error) = await CliRunner.RunAsync("synth", "--pristine", photos, "--count", "5", "--size", "128", "--out", Path.Combine(_root, "none"));
        Assert.Equal(2, code);
        Assert.Contains("no usable photo of at least 128 px", error, StringComparison.Ordinal);
        Assert.DoesNotContain("MinSide", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    private static RgbImage Gradient(int width, int height)
    {
        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image[0, y, x] = (float)x / width;
                image[1, y, x] = (float)y / height;
                image[2, y, x] = ((x / 4) + (y / 4)) % 2;
            }
        }

        return image;
    }
}
