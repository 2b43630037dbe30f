using MetaQap.Imaging.Datasets;
using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Calibration;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Evaluation;
using MetaQap.Modeling.Tests.Ensembles;
using MetaQap.Modeling.Tests.ImageNet;
using MetaQap.Modeling.Tests.Training;
using MetaQap.Testing;
using Xunit;

namespace MetaQap.Modeling.Tests.Calibration;

/// <summary>
/// Calibration end to end on tiny data: 8 scenes × 5 blur levels rated by sharpness, a random two-model source
/// ensemble, the real ImageNet trunk at a 64-px view. The calibrated folder must load and score as fitted.
/// </summary>
public sealed class EnsembleCalibratorTests : IClassFixture<ConvertedImageNetWeights>, IDisposable
{
    private readonly ConvertedImageNetWeights _weights;
    private readonly TinyEnsemble _source = new();
    private readonly string _root = TinyRuns.TempFolder();
    private readonly Dataset _ratings;

    public EnsembleCalibratorTests(ConvertedImageNetWeights weights)
    {
        _weights = weights;
        _ratings = TinyRuns.BlurMosFolder(Path.Combine(_root, "ratings"), contents: 8, size: 96);
    }

    [Fact]
    public void Writes_an_ensemble_that_scores_exactly_as_fitted_and_ranks_blur()
    {
        CalibrationResult result = EnsembleCalibrator.Run(Request("out"));

        EnsembleManifest manifest = EnsembleArtifact.Load(result.Directory);
        Assert.Equal("tiny-test-cal", manifest.Version);
        Assert.Equal(MetaLearnerMethods.CalibratedRidge, manifest.MetaLearner.Method);
        Assert.Equal(["a", "b", "calibration"], manifest.BaseModels.Select(m => m.Name));
        BaseModelEntry head = manifest.BaseModels[^1];
        Assert.Equal(("resnet18_cntk_blocks", 64, 64), (head.Architecture, head.InputSize, head.ViewSide ?? 0));
        Assert.Empty(head.DistortionLabels);
        Assert.Equal(40, manifest.Metrics["calibration_items"]);
        Assert.Equal("calibrate", manifest.Provenance.Recipe);
        Assert.Contains(manifest.Provenance.TrainingData, line => line.Contains("calibrated from ensemble tiny-test", StringComparison.Ordinal));

        // Scoring the rated images with the written folder reproduces the fit (clamped to 0–100, float32 weights).
        using EnsemblePredictor predictor = EnsemblePredictor.Load(result.Directory);
        RgbImage[] images = [.. _ratings.Items.Select(i => ImageDecoder.DecodeFile(i.ImagePath, new DecodeOptions { MinShorterSide = predictor.DecodeShorterSide }))];
        double[] scored = [.. predictor.Score(images).Select(s => s.Score)];
        using (var trunk = MetaQap.Modeling.ImageNet.ImageNetTrunk.LoadFrozen(_weights.WeightsPath))
        using (EnsemblePredictor source = EnsemblePredictor.Load(_source.Directory))
        {
            CalibrationRows rows = CalibrationRows.Measure(source, trunk, _ratings.Items, new CalibrationOptions { ViewSide = 64 });
            double[] fitted = result.Fit.Predict(rows);
            for (int i = 0; i < scored.Length; i++)
            {
                Assert.Equal(Math.Clamp(fitted[i], 0, 100), scored[i], 1e-2);
            }
        }

        // Sharpness is what these ratings reward; the random source models know nothing of it, the trunk does.
        EvaluationMetrics metrics = EvaluationMetrics.Compute(scored, [.. _ratings.Items.Select(i => 100 * i.Mos)]);
        Assert.True(metrics.Srocc > 0.9, $"in-sample SROCC {metrics.Srocc}");
        Assert.True(result.Fit.CrossValidated.Srocc > 0.6, $"cross-validated SROCC {result.Fit.CrossValidated.Srocc}");
    }

    [Fact]
    public void A_calibrated_ensemble_is_not_calibrated_again()
    {
        CalibrationResult first = EnsembleCalibrator.Run(Request("first"));
        CalibrationException e = Assert.Throws<CalibrationException>(() =>
            EnsembleCalibrator.Run(Request("second") with { SourceEnsemble = first.Directory }));
        Assert.Equal(CalibrationErrorCode.AlreadyCalibrated, e.Code);
        Assert.False(Directory.Exists(Path.Combine(_root, "second")));
    }

    [Fact]
    public void Bad_ratings_fail_before_anything_is_written()
    {
        CalibrationException few = Assert.Throws<CalibrationException>(() =>
            EnsembleCalibrator.Run(Request("few") with { Items = [.. _ratings.Items.Take(10)] }));
        Assert.Equal(CalibrationErrorCode.TooFewImages, few.Code);

        CalibrationException constant = Assert.Throws<CalibrationException>(() =>
            EnsembleCalibrator.Run(Request("constant") with { Items = [.. _ratings.Items.Select(i => i with { Mos = 0.7 })] }));
        Assert.Equal(CalibrationErrorCode.ConstantScores, constant.Code);

        string broken = Path.Combine(_root, "broken.png");
        File.WriteAllBytes(broken, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        DatasetItem[] items = [.. _ratings.Items.Take(39), _ratings.Items[39] with { ImagePath = broken }];
        CalibrationException unreadable = Assert.Throws<CalibrationException>(() => EnsembleCalibrator.Run(Request("unreadable") with { Items = items }));
        Assert.Equal(CalibrationErrorCode.UnreadableImage, unreadable.Code);
        Assert.Contains("broken.png", unreadable.Message, StringComparison.Ordinal);

        Assert.Throws<ArtifactException>(() => EnsembleCalibrator.Run(Request("version") with { Version = "no spaces allowed" }));
        foreach (string name in new[] { "few", "constant", "unreadable", "version" })
        {
            Assert.False(Directory.Exists(Path.Combine(_root, name)), name);
        }

        Assert.Empty(Directory.EnumerateFiles(_root, "*.head.safetensors", SearchOption.AllDirectories));
    }

    public void Dispose()
    {
        _source.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private CalibrationRequest Request(string output) => new()
    {
        SourceEnsemble = _source.Directory,
        Items = _ratings.Items,
        OutputDirectory = Path.Combine(_root, output),
        Version = "tiny-test-cal",
        Command = "test",
        DataDescription = "blur ratings written by the test",
        TrunkWeights = _weights.WeightsPath,
        Options = new CalibrationOptions { ViewSide = 64 },
    };
}
