using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Preprocessing;
using MetaQap.Imaging.Pristine;

namespace MetaQap.Imaging.Tests.Pristine;

public sealed class FolderPristineSourceTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pristine-" + Guid.NewGuid().ToString("N"));

    public FolderPristineSourceTests()
    {
        Write("b.png", 96, 80, seed: 1);
        Write("sub/a.PNG", 120, 100, seed: 2);
        Write("sub/deeper/c.jpg", 100, 100, seed: 3);
        Write("sub/motorcycle_left.png", 90, 90, seed: 4);
        Write("tiny.png", 20, 30, seed: 5);
        Write(".hidden.png", 64, 64, seed: 6);
        File.WriteAllText(Path.Combine(_root, "notes.txt"), "not an image");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Finds_images_recursively_in_ordinal_path_order_and_ignores_other_files()
    {
        var source = new FolderPristineSource(_root);

        string[] ids = [.. Enumerable.Range(0, source.ContentCount).Select(source.ContentId)];

        Assert.Equal(["b.png", "sub/a.PNG", "sub/deeper/c.jpg", "sub/motorcycle_left.png", "tiny.png"], ids);
        Assert.Equal(Path.GetFileName(_root), source.Name);
    }

    [Theory]
    [InlineData("motorcycle_*", "sub/motorcycle_left.png")]
    [InlineData("MOTORCYCLE_LEFT.PNG", "sub/motorcycle_left.png")]
    [InlineData("sub/deeper/*", "sub/deeper/c.jpg")]
    [InlineData("**/c.jpg", "sub/deeper/c.jpg")]
    [InlineData("b.pn?", "b.png")]
    public void Exclusion_globs_leave_out_exactly_the_matching_photos(string pattern, string excluded)
    {
        var all = new FolderPristineSource(_root);
        var source = new FolderPristineSource(_root, new FolderSourceOptions { Exclude = [pattern] });

        string[] ids = [.. Enumerable.Range(0, source.ContentCount).Select(source.ContentId)];

        Assert.Equal(all.ContentCount - 1, source.ContentCount);
        Assert.DoesNotContain(excluded, ids);
    }

    [Fact]
    public void Samples_are_deterministic_sized_and_named_after_their_photo()
    {
        var source = new FolderPristineSource(_root);
        var again = new FolderPristineSource(_root);

        PristineSample first = source.Sample(1, 48, seed: 9);
        PristineSample second = again.Sample(1, 48, seed: 9);

        Assert.Equal(48, first.Image.Width);
        Assert.Equal(48, first.Image.Height);
        Assert.Equal("sub/a.PNG", first.ContentId);
        Assert.Equal(first.Image.Data, second.Image.Data);
        Assert.All(first.Image.Data, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Different_seeds_cut_different_samples()
    {
        var source = new FolderPristineSource(_root);

        double difference = PristineImageStats.MeanAbsDifference(source.Sample(1, 48, 1).Image, source.Sample(1, 48, 2).Image);

        Assert.True(difference > 0.01, $"mean abs difference {difference}");
    }

    [Fact]
    public void Without_downscaling_a_sample_is_an_exact_crop_of_the_photo()
    {
        var source = new FolderPristineSource(_root, new FolderSourceOptions { MinScale = 1f });
        RgbImage photo = ImageDecoder.DecodeFile(Path.Combine(_root, "sub", "a.PNG"));

        RgbImage sample = source.Sample(1, 40, seed: 4).Image;

        bool found = false;
        for (int y = 0; y <= photo.Height - 40 && !found; y++)
        {
            for (int x = 0; x <= photo.Width - 40 && !found; x++)
            {
                found = IsCropAt(photo, sample, x, y);
            }
        }

        Assert.True(found, "the sample is not a 40x40 crop of the photo");
    }

    [Fact]
    public void Photo_smaller_than_the_sample_is_refused_with_its_name()
    {
        var source = new FolderPristineSource(_root);
        int tiny = Array.IndexOf([.. Enumerable.Range(0, source.ContentCount).Select(source.ContentId)], "tiny.png");

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => source.Sample(tiny, 24, 0));

        Assert.Contains("tiny.png", error.Message, StringComparison.Ordinal);
        Assert.Contains("upscaling", error.Message, StringComparison.Ordinal);
        Assert.Equal(20, source.Sample(tiny, 20, 0).Image.Width);
    }

    [Fact]
    public void MinSide_leaves_small_photos_out_and_lists_why()
    {
        var source = new FolderPristineSource(_root, new FolderSourceOptions { MinSide = 90 });

        string[] ids = [.. Enumerable.Range(0, source.ContentCount).Select(source.ContentId)];

        Assert.Equal(["sub/a.PNG", "sub/deeper/c.jpg", "sub/motorcycle_left.png"], ids);
        Assert.Equal(2, source.Skipped.Count);
        Assert.StartsWith("b.png: shorter side 80 < 90", source.Skipped[0], StringComparison.Ordinal);
        Assert.StartsWith("tiny.png", source.Skipped[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Undecodable_file_fails_with_its_name_and_code()
    {
        File.WriteAllBytes(Path.Combine(_root, "broken.jpg"), [0xFF, 0xD8, 0xFF]);
        var source = new FolderPristineSource(_root);

        int broken = Array.IndexOf([.. Enumerable.Range(0, source.ContentCount).Select(source.ContentId)], "broken.jpg");

        var error = Assert.Throws<ImageDecodeException>(() => source.Sample(broken, 16, 0));

        Assert.Equal(ImageErrorCode.Truncated, error.Code);
        Assert.Contains("broken.jpg", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sampling_from_several_threads_matches_sequential_sampling()
    {
        var source = new FolderPristineSource(_root, new FolderSourceOptions { CacheBytes = 200_000 });
        var expected = Enumerable.Range(0, 16).Select(i => source.Sample(i % 4, 32, i).Image.Data).ToArray();
        var actual = new float[16][];

        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => actual[i] = source.Sample(i % 4, 32, i).Image.Data);

        for (int i = 0; i < 16; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    [Fact]
    public void A_view_side_scales_the_photo_first_and_min_scale_1_crops_at_that_scale()
    {
        // sub/a.PNG is 120x100: viewed at a shorter side of 50 it is 60x50, and a 50 px sample is a crop of that view.
        var source = new FolderPristineSource(_root, new FolderSourceOptions { ViewSide = 50, MinScale = 1f });
        RgbImage view = ImageResampler.ResizeShorterSide(ImageDecoder.DecodeFile(Path.Combine(_root, "sub/a.PNG")), 50);

        for (int seed = 0; seed < 4; seed++)
        {
            RgbImage sample = source.Sample(1, 50, seed).Image;
            Assert.Equal((60, 50), (view.Width, view.Height));
            // The source keeps decoded photos as 8-bit RGB: the scaled view is rounded to 1/255.
            Assert.Contains(Enumerable.Range(0, view.Width - 50 + 1), x => IsCropAt(view, sample, x, 0, tolerance: 0.51f / 255));
        }

        // A photo already at or below the view side is left as it is.
        var native = new FolderPristineSource(_root, new FolderSourceOptions { ViewSide = 500, MinScale = 1f });
        RgbImage photo = ImageDecoder.DecodeFile(Path.Combine(_root, "b.png"));
        RgbImage crop = native.Sample(0, 40, seed: 1).Image;
        Assert.Contains(Enumerable.Range(0, (photo.Width - 40 + 1) * (photo.Height - 40 + 1)),
            i => IsCropAt(photo, crop, i % (photo.Width - 40 + 1), i / (photo.Width - 40 + 1)));
        Assert.Throws<ArgumentException>(() => new FolderPristineSource(_root, new FolderSourceOptions { ViewSide = 0 }));
    }

    [Fact]
    public void Missing_folder_and_bad_options_are_refused()
    {
        Assert.Throws<DirectoryNotFoundException>(() => new FolderPristineSource(Path.Combine(_root, "absent")));
        Assert.Throws<ArgumentException>(() => new FolderPristineSource(_root, new FolderSourceOptions { MinScale = 0f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FolderPristineSource(_root).Sample(99, 16, 0));
    }

    private static bool IsCropAt(RgbImage photo, RgbImage crop, int x0, int y0, float tolerance = 0f)
    {
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < crop.Height; y++)
            {
                for (int x = 0; x < crop.Width; x++)
                {
                    if (Math.Abs(crop[c, y, x] - photo[c, y0 + y, x0 + x]) > tolerance)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private void Write(string relative, int width, int height, int seed)
    {
        string path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        RgbImage image = TestImages.Pattern(width, height, seed);
        File.WriteAllBytes(path, relative.EndsWith(".jpg", StringComparison.Ordinal)
            ? ImageEncoder.EncodeJpeg(image, 95)
            : ImageEncoder.EncodePng(image));
    }
}
