using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Preprocessing;
using MetaQap.Imaging.Pristine;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Scoring;
using MetaQap.Testing;
using Xunit.Abstractions;

namespace MetaQap.Modeling.Tests.Ensembles;

/// <summary>
/// The worker decodes JPEGs at reduced size (DecodeOptions.MinShorterSide = EnsemblePredictor.DecodeShorterSide):
/// a 1080p photo comes out of libjpeg at 960×540 and is then scaled to the 512-px view, instead of decoding
/// 1920×1080 and scaling that. Both are antialiased downscales of the same photo to the same view, so the model
/// input may differ only in how the two filters treat detail near the view's resolution limit.
/// </summary>
public sealed class ScaledDecodeTests(ITestOutputHelper output)
{
    private static readonly string DefaultModel = Path.Combine(RepositoryPaths.Root, "models", "default");

    [Fact]
    public void The_default_model_lets_images_decode_down_to_its_view_side()
    {
        using EnsemblePredictor predictor = EnsemblePredictor.Load(DefaultModel);

        Assert.Equal(384, predictor.DecodeShorterSide);
        Assert.Null(((IQualityScorer)new NoHint()).DecodeShorterSide);
    }

    [Fact]
    public void A_scaled_decode_gives_nearly_the_model_input_of_a_full_decode()
    {
        byte[] jpeg = Photo(1920, 1080, seed: 3);
        RgbImage full = ImageDecoder.Decode(jpeg);
        RgbImage scaled = ImageDecoder.Decode(jpeg, new DecodeOptions { MinShorterSide = 512 });
        Assert.Equal(960, scaled.Width);

        foreach (int input in new[] { 160, 224 })
        {
            float[] a = ScoringPreprocessor.Crop(full, input, 512).Data;
            float[] b = ScoringPreprocessor.Crop(scaled, input, 512).Data;
            double sum = 0, worst = 0;
            for (int i = 0; i < a.Length; i++)
            {
                double d = Math.Abs(a[i] - b[i]);
                sum += d;
                worst = Math.Max(worst, d);
            }

            double mean = sum / a.Length;
            output.WriteLine($"input {input}: mean abs diff {mean:G3}, max abs diff {worst:G3} (pixel values in [0, 1])");
            // Measured: mean 0.0015 / 0.0014, max 0.071 / 0.079. Tolerances: a mean of 1/255 (one 8-bit grey
            // level, below the JPEG's own q90 error) and a max of 0.15 (single pixels on the sharpest dead-leaves
            // edges, where libjpeg's scaled IDCT and our triangle filter differ most). A wrong scale, offset,
            // orientation or crop window moves edges and gives means above 0.05.
            Assert.True(mean < 1.0 / 255, $"input {input}: mean abs diff {mean}");
            Assert.True(worst < 0.15, $"input {input}: max abs diff {worst}");
        }
    }

    [Fact]
    public void Default_model_scores_barely_change_with_a_scaled_decode()
    {
        using EnsemblePredictor predictor = EnsemblePredictor.Load(DefaultModel, new PredictorOptions { Threads = 1 });
        var decode = new DecodeOptions { MinShorterSide = predictor.DecodeShorterSide };
        var full = new List<RgbImage>();
        var scaled = new List<RgbImage>();
        for (int seed = 1; seed <= 4; seed++)
        {
            byte[] jpeg = Photo(1600, 1200, seed);
            full.Add(ImageDecoder.Decode(jpeg));
            scaled.Add(ImageDecoder.Decode(jpeg, decode));
        }

        IReadOnlyList<ImageScore> a = predictor.Score(full);
        IReadOnlyList<ImageScore> b = predictor.Score(scaled);

        for (int i = 0; i < a.Count; i++)
        {
            output.WriteLine($"image {i}: full {a[i].Score:F3}, scaled {b[i].Score:F3}");
            // Measured: differences of 0.0 to 0.83 points on 0–100. 1.5 points is well inside the model's own error
            // (RMSE ~8 on its test split); the full decode is not "the truth" either, only a different downscale.
            Assert.InRange(b[i].Score - a[i].Score, -1.5, 1.5);
        }
    }

    [Fact]
    public void Evaluation_decodes_images_as_the_worker_does_for_the_scorer()
    {
        string folder = Directory.CreateTempSubdirectory("metaqap-eval-decode-").FullName;
        try
        {
            string path = Path.Combine(folder, "photo.jpg");
            File.WriteAllBytes(path, Photo(1600, 1200, seed: 5));
            Imaging.Datasets.DatasetItem[] items = [.. new[] { 0.2, 0.5, 0.8 }.Select(mos => new Imaging.Datasets.DatasetItem("photo.jpg", path, mos, mos, "photo.jpg"))];
            var hinted = new SizeRecorder(384);
            var unhinted = new SizeRecorder(null);

            DatasetEvaluation.Run(hinted, items);
            DatasetEvaluation.Run(unhinted, items);
            DatasetEvaluation.Run(hinted, items, decodeOptions: DecodeOptions.Default); // an explicit choice wins

            // libjpeg's 3/8 scale is the smallest whose shorter side (450) is still at least 384.
            Assert.Equal([.. Enumerable.Repeat((600, 450), 3), .. Enumerable.Repeat((1600, 1200), 3)], hinted.Sizes);
            Assert.Equal(Enumerable.Repeat((1600, 1200), 3), unhinted.Sizes);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A photo-like dead-leaves scene as a quality-90 JPEG.</summary>
    private static byte[] Photo(int width, int height, int seed)
    {
        RgbImage square = new DeadLeavesSource(1, seed).Sample(0, Math.Max(width, height), 0).Image;
        return ImageEncoder.EncodeJpeg(ImageResampler.Crop(square, 0, 0, width, height), 90);
    }

    private sealed class NoHint : IQualityScorer
    {
        public string ModelVersion => "none";

        public IReadOnlyList<ImageScore> Score(IReadOnlyList<RgbImage> images, CancellationToken cancellationToken = default) => [];
    }

    private sealed class SizeRecorder(int? decodeShorterSide) : IQualityScorer
    {
        public List<(int Width, int Height)> Sizes { get; } = [];

        public string ModelVersion => "sizes";

        public int? DecodeShorterSide => decodeShorterSide;

        public IReadOnlyList<ImageScore> Score(IReadOnlyList<RgbImage> images, CancellationToken cancellationToken = default)
        {
            Sizes.AddRange(images.Select(i => (i.Width, i.Height)));
            return [.. images.Select((_, k) => new ImageScore(k, new Dictionary<string, double>(), 0, []))];
        }
    }
}
