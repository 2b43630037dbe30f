using MetaQap.Imaging.Datasets;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Preprocessing;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Weights;
using MetaQap.Testing;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Ensembles;

public sealed class MetaLearnerFittingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("metaqap-meta-fit-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Out_of_fold_csv_round_trips_ids_with_commas_and_exact_numbers()
    {
        var table = new OutOfFoldPredictions(
            ["plain.png", "with,comma \"q\".jpg"], [12.5, 99.125], ["a", "b"], [[1.0 / 3, 2], [-0.1, 1e-7]]);
        string path = Path.Combine(_root, "oof.csv");

        table.Write(path);
        OutOfFoldPredictions read = OutOfFoldPredictions.Read(path);

        Assert.StartsWith("image_id,mos,a,b\n", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal(table.ImageIds, read.ImageIds);
        Assert.Equal(table.Mos, read.Mos);
        Assert.Equal(table.ModelNames, read.ModelNames);
        Assert.Equal(table.Rows[0], read.Rows[0]);
        Assert.Equal(table.Rows[1], read.Rows[1]);
    }

    [Theory]
    [InlineData("id,mos,a\nx,1,2\n", "header must be")]
    [InlineData("image_id,mos,a\nx,1\n", "line 2: 2 fields")]
    [InlineData("image_id,mos,a\nx,1,NaN\n", "column 'a' is 'NaN'")]
    public void Malformed_out_of_fold_csv_is_refused_naming_the_problem(string text, string message)
    {
        string path = Path.Combine(_root, "bad.csv");
        File.WriteAllText(path, text);

        var error = Assert.Throws<InvalidDataException>(() => OutOfFoldPredictions.Read(path));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stepwise_fit_keeps_the_informative_model_and_drops_pure_noise()
    {
        var random = new Random(7);
        int n = 200;
        var ids = new string[n];
        var mos = new double[n];
        var rows = new double[n][];
        for (int i = 0; i < n; i++)
        {
            double truth = random.NextDouble() * 100;
            ids[i] = $"{i}.png";
            mos[i] = truth;
            rows[i] = [(0.9 * truth) + 5 + (random.NextDouble() * 4), random.NextDouble() * 100];
        }

        MetaLearnerFit fit = MetaLearnerFitting.FitStepwise(new OutOfFoldPredictions(ids, mos, ["good", "noise"], rows));

        Assert.Equal(MetaLearnerMethods.StepwiseOls, fit.Entry.Method);
        Assert.Equal(["good"], fit.Entry.Predictors);
        Assert.InRange(fit.Entry.Coefficients[0], 1.05, 1.17); // ≈ 1/0.9
        Assert.True(fit.OutOfFold.Srocc > 0.99);
    }

    [Fact]
    public void A_fitted_meta_learner_written_into_an_ensemble_is_what_the_predictor_applies()
    {
        using var ensemble = new TinyEnsemble();
        var rows = new double[][] { [10, 20], [30, 35], [50, 48], [70, 80], [90, 85], [20, 30], [60, 55], [40, 47] };
        double[] mos = [.. rows.Select(r => (0.6 * r[0]) + (0.5 * r[1]) - 4)];
        var table = new OutOfFoldPredictions([.. rows.Select((_, i) => $"{i}")], mos, ["a", "b"], rows);
        MetaLearnerFit fit = MetaLearnerFitting.FitStepwise(table);

        EnsembleManifest written = MetaLearnerFitting.WriteInto(ensemble.Directory, fit);
        using var predictor = EnsemblePredictor.Load(ensemble.Directory);

        Assert.Equal(["a", "b"], predictor.Manifest.MetaLearner.Predictors);
        Assert.Equal(0.6, predictor.Manifest.MetaLearner.Coefficients[0], 9);
        Assert.Equal(0.5, predictor.Manifest.MetaLearner.Coefficients[1], 9);
        Assert.Equal(-4, predictor.Manifest.MetaLearner.Intercept, 8);
        Assert.True(written.Metrics.ContainsKey("oof_srocc"));
        var score = predictor.Score([TinyEnsemble.Picture(70, 70, 9)])[0];
        Assert.Equal(Math.Clamp(-4 + (0.6 * score.BaseScores["a"]) + (0.5 * score.BaseScores["b"]), 0, 100), score.Score, 6);
    }

    [Fact]
    public void Base_model_predictions_for_a_dataset_match_the_ensemble_base_scores()
    {
        using var ensemble = new TinyEnsemble();
        BaseModelSource source = ensemble.Sources[0];
        var items = new List<DatasetItem>();
        for (int i = 0; i < 3; i++)
        {
            string path = Path.Combine(_root, $"{i}.png");
            ImageEncoder.Save(TinyEnsemble.Picture(72 + (i * 10), 64, i), path);
            items.Add(new DatasetItem($"{i}.png", path, 0.5, 0.5, $"{i}"));
        }

        using var model = new QualityModel(source.Architecture);
        Dictionary<string, Tensor> weights = SafeTensors.Load(source.WeightsFile);
        model.LoadStateDictStrict(weights);
        foreach (Tensor t in weights.Values)
        {
            t.Dispose();
        }

        double[] predicted = BaseModelPredictions.Predict(
            model, items, TinyEnsemble.InputSize, ChannelNormalization.ImageNet, source.OutputScale, batchSize: 2);
        using var predictor = EnsemblePredictor.Load(ensemble.Directory);
        var scores = predictor.Score([.. items.Select(item => MetaQap.Imaging.Decoding.ImageDecoder.DecodeFile(item.ImagePath))]);

        for (int i = 0; i < items.Count; i++)
        {
            Assert.Equal(scores[i].BaseScores["a"], predicted[i], 4);
        }
    }
}
