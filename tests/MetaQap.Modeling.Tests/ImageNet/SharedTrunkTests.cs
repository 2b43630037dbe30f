using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Preprocessing;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Calibration;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Features;
using MetaQap.Modeling.ImageNet;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Runtime;
using MetaQap.Modeling.Scoring;
using MetaQap.Modeling.Tests.Ensembles;
using MetaQap.Modeling.Weights;
using MetaQap.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.ImageNet;

/// <summary>
/// Heads on one frozen ImageNet trunk in one ensemble: the trunk runs once per batch for all of them, and each
/// scores exactly what it scores alone; a head at another view and a fine-tuned trunk form groups of their own.
/// </summary>
public sealed class SharedTrunkTests(ConvertedImageNetWeights weights) : IClassFixture<ConvertedImageNetWeights>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("metaqap-shared-trunk-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Heads_sharing_a_trunk_score_what_each_scores_alone()
    {
        BaseModelSource[] sources = [.. ThreeVariantsAt64(), Head("small", "resnet18_cntk_ms", 32, seed: 4)];
        string ensemble = Build("all", sources);
        RgbImage[] images = [.. Enumerable.Range(0, 3).Select(i => TinyEnsemble.Picture(90, 70, i))];

        using EnsemblePredictor predictor = EnsemblePredictor.Load(ensemble, new PredictorOptions { Threads = 1 });
        IReadOnlyList<ImageScore> together = predictor.Score(images);

        foreach (BaseModelSource source in sources)
        {
            using EnsemblePredictor alone = EnsemblePredictor.Load(Build(source.Name, [source]), new PredictorOptions { Threads = 1 });
            IReadOnlyList<ImageScore> own = alone.Score(images);
            for (int i = 0; i < images.Length; i++)
            {
                Assert.Equal(own[i].BaseScores[source.Name], together[i].BaseScores[source.Name]); // the same numbers, also through shared statistics
            }
        }

        Assert.Equal([0, 0, 0, 1], TrunkGroups(predictor));
    }

    [Fact]
    public void A_group_computes_the_map_statistics_once_when_two_heads_read_them_and_each_head_takes_its_columns()
    {
        using EnsemblePredictor predictor = EnsemblePredictor.Load(Build("statistics", ThreeVariantsAt64()), new PredictorOptions { Threads = 1 });
        BaseModelRunner[] runners = [.. predictor.Runners];
        RgbImage[] crops = [.. Enumerable.Range(0, 2).Select(i => TinyEnsemble.Picture(64, 64, i))];
        using var scope = torch.NewDisposeScope();
        Tensor[] blocks = runners[0].TrunkBlocks(crops);

        Assert.Null(BaseModelRunner.SharedStatistics([runners[0], runners[1]], blocks)); // one multi-level head: nothing to share
        Tensor? statistics = BaseModelRunner.SharedStatistics(runners, blocks);
        Assert.NotNull(statistics);
        Assert.Equal([2L, BlockFeatureLayout.Width], statistics.shape);
        foreach (BaseModelRunner runner in runners)
        {
            Assert.Equal(runner.RunOnBlocks(blocks, null, null), runner.RunOnBlocks(blocks, statistics, null));
        }
    }

    // A head of each feature variant at one 64-px view: two of them (ms, blocks) read multi-level statistics.
    private BaseModelSource[] ThreeVariantsAt64() =>
    [
        Head("ms", "resnet18_cntk_ms", 64, seed: 1),
        Head("pool", "resnet18_cntk", 64, seed: 2),
        Head("blocks", "resnet18_cntk_blocks", 64, seed: 3),
    ];

    [Fact]
    public void A_batch_split_into_trunk_chunks_scores_each_image_as_it_scores_alone()
    {
        // At 512 px a chunk is two images, so five images run in three trunk passes.
        BaseModelSource[] sources = [Head("ms", "resnet18_cntk_ms", 512, seed: 1), Head("pool", "resnet18_cntk", 512, seed: 2)];
        using EnsemblePredictor predictor = EnsemblePredictor.Load(Build("chunks", sources), new PredictorOptions { Threads = 2 });
        RgbImage[] images = [.. Enumerable.Range(0, 5).Select(i => TinyEnsemble.Picture(520, 512, i + 10))];

        IReadOnlyList<ImageScore> together = predictor.Score(images);

        for (int i = 0; i < images.Length; i++)
        {
            ImageScore alone = predictor.Score([images[i]])[0];
            foreach (string name in new[] { "ms", "pool" })
            {
                // Float32 rounding of different batch shapes only: relative 1e-5 of these (random, large) raw scores.
                double a = alone.BaseScores[name], b = together[i].BaseScores[name];
                Assert.True(Math.Abs(a - b) <= 1e-5 * Math.Max(1, Math.Abs(a)), $"{name} image {i}: {a} alone, {b} in the batch");
            }
        }
    }

    [Fact]
    public void A_model_whose_trunk_was_changed_does_not_join_the_frozen_group()
    {
        BaseModelSource frozen = Head("frozen", "resnet18_cntk_ms", 64, seed: 1);
        BaseModelSource tuned = Head("tuned", "resnet18_cntk_ms", 64, seed: 2, perturbTrunk: true);
        BaseModelSource other = Head("other", "resnet18_cntk", 64, seed: 3);

        using EnsemblePredictor predictor = EnsemblePredictor.Load(Build("mixed", [frozen, tuned, other]), new PredictorOptions { Threads = 1 });

        Assert.Equal([0, 1, 0], TrunkGroups(predictor));
    }

    [Fact]
    public void Calibration_reads_the_base_scores_of_heads_on_its_trunk_from_its_own_pass()
    {
        // Both heads at the calibration's 64-px view on the very trunk it measures with: one pass gives both.
        string shared = Build("calibrate-shared", [Head("pool", "resnet18_cntk", 64, seed: 2), Head("ms", "resnet18_cntk_ms", 64, seed: 1)]);
        Imaging.Datasets.Dataset ratings = TinyRuns.BlurMosFolder(Path.Combine(_root, "ratings"), contents: 2, size: 80);
        using var trunk = ImageNetTrunk.LoadFrozen(weights.WeightsPath);
        var options = new CalibrationOptions { ViewSide = 64, BatchSize = 4 };
        using EnsemblePredictor predictor = EnsemblePredictor.Load(shared, new PredictorOptions { Threads = 1 });
        Assert.NotNull(predictor.HeadsOn(trunk, ImageNetNormalization.Channel));

        CalibrationRows rows = CalibrationRows.Measure(predictor, trunk, ratings.Items, options);
        Assert.True(rows.BaseScoresAtView);

        for (int i = 0; i < ratings.Items.Count; i++)
        {
            RgbImage image = Imaging.Decoding.ImageDecoder.DecodeFile(ratings.Items[i].ImagePath);
            ImageScore scored = predictor.Score([image])[0];
            // Float32 rounding of different batch shapes only (relative 1e-5 of these random, large raw scores).
            foreach ((string name, int column) in new[] { ("pool", 0), ("ms", 1) })
            {
                double alone = scored.BaseScores[name], measured = rows.BaseScores[i][column];
                Assert.True(Math.Abs(alone - measured) <= 1e-5 * Math.Max(1, Math.Abs(alone)), $"{name} image {i}: {alone} scored, {measured} measured");
            }
        }

        // A changed trunk, another normalisation or another backbone: the source is scored on its own.
        using EnsemblePredictor tuned = EnsemblePredictor.Load(Build("calibrate-tuned", [Head("tuned", "resnet18_cntk", 64, seed: 3, perturbTrunk: true)]));
        Assert.Null(tuned.HeadsOn(trunk, ImageNetNormalization.Channel));
        Assert.Null(predictor.HeadsOn(trunk, new ChannelNormalization([0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f])));
        using var tiny = new TinyEnsemble();
        using EnsemblePredictor cnn = EnsemblePredictor.Load(tiny.Directory);
        Assert.Null(cnn.HeadsOn(trunk, ImageNetNormalization.Channel));
        Assert.False(CalibrationRows.Measure(cnn, trunk, ratings.Items, options).BaseScoresAtView);
    }

    [Fact]
    public void A_calibration_at_another_view_runs_the_sources_heads_at_its_view_in_one_pass_and_scores_as_fitted()
    {
        // The source's head sees 96-px views; calibration measures at 64: the written ensemble runs both at 64.
        string source = Build("calibrate-rehome", [Head("pool", "resnet18_cntk", 96, seed: 2)]);
        Imaging.Datasets.Dataset ratings = TinyRuns.BlurMosFolder(Path.Combine(_root, "ratings-rehome"), contents: 8, size: 96);
        CalibrationResult result = EnsembleCalibrator.Run(new CalibrationRequest
        {
            SourceEnsemble = source,
            Items = ratings.Items,
            OutputDirectory = Path.Combine(_root, "rehomed"),
            Version = "rehomed",
            Command = "test",
            DataDescription = "blur ratings written by the test",
            TrunkWeights = weights.WeightsPath,
            Options = new CalibrationOptions { ViewSide = 64 },
        });

        EnsembleManifest manifest = EnsembleArtifact.Load(result.Directory);
        Assert.All(manifest.BaseModels, m => Assert.Equal((64, 64), (m.InputSize, m.ViewSide ?? 0)));
        Assert.Contains(manifest.Provenance.TrainingData, line => line.Contains("run at the calibration's 64-px view", StringComparison.Ordinal));
        using EnsemblePredictor calibrated = EnsemblePredictor.Load(result.Directory, new PredictorOptions { Threads = 1 });
        Assert.Equal([0, 0], TrunkGroups(calibrated));
        RgbImage[] images = [.. ratings.Items.Select(i => Imaging.Decoding.ImageDecoder.DecodeFile(i.ImagePath,
            new Imaging.Decoding.DecodeOptions { MinShorterSide = calibrated.DecodeShorterSide }))];
        double[] scored = [.. calibrated.Score(images).Select(s => s.Score)];
        using var trunk = ImageNetTrunk.LoadFrozen(weights.WeightsPath);
        using EnsemblePredictor original = EnsemblePredictor.Load(source, new PredictorOptions { Threads = 1 });
        CalibrationRows rows = CalibrationRows.Measure(original, trunk, ratings.Items, new CalibrationOptions { ViewSide = 64 });
        Assert.True(rows.BaseScoresAtView);
        double[] fitted = result.Fit.Predict(rows);
        for (int i = 0; i < scored.Length; i++)
        {
            Assert.Equal(Math.Clamp(fitted[i], 0, 100), scored[i], 1e-2);
        }
    }

    private static int?[] TrunkGroups(EnsemblePredictor predictor) =>
        [.. predictor.Runners.Select(r => r.TrunkGroup)];

    private string Build(string name, IReadOnlyList<BaseModelSource> sources)
    {
        string directory = Path.Combine(_root, "ensemble-" + name);
        EnsembleBuilder.Build(directory, sources, EnsembleBuilder.Mean([.. sources.Select(s => s.Name)]), TinyEnsemble.Options);
        return directory;
    }

    private BaseModelSource Head(string name, string architecture, int inputSize, int seed, bool perturbTrunk = false)
    {
        string file = Path.Combine(_root, name + ".safetensors");
        using var model = new QualityModel(architecture);
        model.Backbone.LoadSafeTensorsStrict(weights.WeightsPath);

        var random = new Random(seed);
        int features = ((MetaQap.Modeling.Backbones.IBackbone)model.Backbone).FeatureCount;
        model.SetLinearQualityHead([.. Enumerable.Range(0, features).Select(_ => (random.NextDouble() - 0.5) * 0.2)], 0.5);
        if (perturbTrunk)
        {
            using var noGrad = TorchSharp.torch.no_grad();
            model.Backbone.parameters().First().PlusInPlace(0.01);
        }

        SafeTensors.Save(file, model.state_dict());
        return new BaseModelSource(name, file, architecture, inputSize)
        {
            ViewSide = inputSize,
            NormalizationMean = ImageNetNormalization.Mean,
            NormalizationStd = ImageNetNormalization.Std,
            HasDistortionHead = false,
        };
    }
}

public sealed class TrunkFeatureExtractorTests(ConvertedImageNetWeights weights) : IClassFixture<ConvertedImageNetWeights>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("metaqap-extractor-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void An_undecodable_image_stops_the_extraction_with_its_path()
    {
        string bad = Path.Combine(_root, "bad.jpg");
        File.WriteAllBytes(bad, [0xFF, 0xD8, 0xFF, 1, 2, 3]);
        using var trunk = ImageNetTrunk.LoadFrozen(weights.WeightsPath);
        var extractor = new TrunkFeatureExtractor(trunk);

        var error = Assert.Throws<MetaQap.Imaging.Decoding.ImageDecodeException>(() =>
            extractor.Extract([new MetaQap.Imaging.Datasets.DatasetItem("bad.jpg", bad, 0.5, 0.5, "bad.jpg")], 64, 64));

        Assert.Contains(bad, error.Message, StringComparison.Ordinal);
    }
}
