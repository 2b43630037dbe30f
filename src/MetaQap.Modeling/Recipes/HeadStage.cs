using System.Globalization;
using MetaQap.Imaging.Datasets;
using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Evaluation;
using MetaQap.Modeling.Features;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Weights;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Recipes;

/// <summary>What the head stage produced: per head its fold outcomes (for the out-of-fold table) and its final fit on every item.</summary>
internal sealed record HeadStageOutcome(
    IReadOnlyDictionary<string, IReadOnlyList<UnitResult<FoldOutcome>>> Folds,
    IReadOnlyDictionary<string, RidgeModel> Final,
    double Seconds);

/// <summary>
/// The frozen-trunk heads of a recipe: features are cached per view (<see cref="FeatureCache"/>), then every head is
/// fitted per fold on the other folds' rows (λ by inner cross-validation on those rows) and scores its held-out fold,
/// and once more on every item for the ensemble. Ridge fits take seconds, so they are recomputed on a resume
/// rather than stored; the expensive, resumable part is the cache.
/// </summary>
internal static class HeadStage
{
    public static HeadStageOutcome Run(RecipeRunFolder folder, RecipeConfig config, RecipeDataset data, string trunkWeights, RecipeLog log,
        CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var views = new Dictionary<(int, int), float[][]>();
        using (ResNetCntk trunk = ImageNet.ImageNetTrunk.LoadFrozen(trunkWeights))
        {
            foreach (HeadRecipe head in config.Heads)
            {
                if (!views.ContainsKey((head.InputSize, head.ViewSide)))
                {
                    views[(head.InputSize, head.ViewSide)] = FeatureCache.Rows(folder, config, data, trunk, head.InputSize, head.ViewSide, log, cancellationToken);
                }
            }
        }

        var folds = new Dictionary<string, IReadOnlyList<UnitResult<FoldOutcome>>>(StringComparer.Ordinal);
        var final = new Dictionary<string, RidgeModel>(StringComparer.Ordinal);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < data.Items.Count; i++)
        {
            index[data.Items[i].ImageId] = i;
        }

        double[] target = [.. data.Items.Select(item => item.Mos)];
        foreach (HeadRecipe head in config.Heads)
        {
            float[][] x = BlockFeatureLayout.Select(views[(head.InputSize, head.ViewSide)], BlockFeatureLayout.Columns(head.Architecture));
            var units = new List<UnitResult<FoldOutcome>>();
            foreach (Fold fold in data.Folds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var foldClock = System.Diagnostics.Stopwatch.StartNew();
                int[] train = [.. fold.Train.Select(item => index[item.ImageId])];
                int[] test = [.. fold.Test.Select(item => index[item.ImageId])];
                RidgeModel model = Fit(config, [.. train.Select(i => x[i])], [.. train.Select(i => target[i])], fold.Index);
                double[] predicted = [.. test.Select(i => TrainedModel.Scale.Scale * model.Predict(x[i]))];
                double[] mos = BaseModelPredictions.MosOnScoreScale(fold.Test);
                var outcome = new FoldOutcome(fold.Index, 0, double.NaN, false, 0, [.. fold.Test.Select(item => item.ImageId)], predicted, mos,
                    EvaluationMetrics.Compute(predicted, mos));
                units.Add(new UnitResult<FoldOutcome>(outcome, foldClock.Elapsed.TotalSeconds));
                log.Line(string.Create(CultureInfo.InvariantCulture,
                    $"head {head.Name} fold {fold.Index + 1}/{data.Folds.Count}: λ {model.Lambda:G3}, held-out SROCC {outcome.Metrics.Srocc:F4}"));
            }

            folds[head.Name] = units;
            final[head.Name] = Fit(config, x, target, data.Folds.Count);
            log.Line($"head {head.Name}: held-out SROCC over folds {MeanStd.Of(units.Select(u => u.Value.Metrics.Srocc)).Format()}; final λ {final[head.Name].Lambda:G3}");
        }

        return new HeadStageOutcome(folds, final, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Writes a head as a whole base model (trunk + linear quality head) that the ensemble loads like any other.</summary>
    public static string WriteWeights(RecipeRunFolder folder, HeadRecipe head, RidgeModel model, string trunkWeights)
    {
        string path = folder.PathOf("heads", head.Name, "model.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var network = new QualityModel(head.Architecture);
        using (var trunk = new ImageNet.ImageNetTrunk.StateDict(trunkWeights))
        {
            network.Backbone.LoadStateDictStrict(trunk.Tensors);
        }

        network.SetLinearQualityHead(model.Weights, model.Bias);
        Training.AtomicFile.Write(path, s => SafeTensors.Save(s, network.state_dict()));
        return path;
    }

    // The inner split's seed differs per outer fold so the λ choices are not all made on one partition.
    private static RidgeModel Fit(RecipeConfig config, float[][] x, double[] y, int salt) =>
        RidgeRegression.FitCrossValidated(x, y, RidgeRegression.DefaultLambdas, config.HeadFitting.InnerFolds, config.Seed + salt);
}
