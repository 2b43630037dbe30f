using System.Globalization;
using MetaQap.Imaging.Datasets;
using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Evaluation;
using MetaQap.Modeling.Features;
using MetaQap.Modeling.Loss;
using MetaQap.Modeling.Quality;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Recipes;

/// <summary>What the head stage produced: per head its fold outcomes (for the out-of-fold table) and its final fit on every item.</summary>
internal sealed record HeadStageOutcome(
    IReadOnlyDictionary<string, IReadOnlyList<UnitResult<FoldOutcome>>> Folds,
    IReadOnlyDictionary<string, FittedHead> Final);

/// <summary>A fitted head of either kind: scores feature rows and writes itself into a <see cref="QualityModel"/>.</summary>
internal sealed class FittedHead(RidgeModel? ridge, MlpHead? mlp) : IDisposable
{
    public double[] Predict(float[][] rows) => ridge is not null ? [.. rows.Select(r => ridge.Predict(r))] : mlp!.Predict(rows);

    public string Describe => ridge is not null ? string.Create(CultureInfo.InvariantCulture, $"ridge λ {ridge.Lambda:G3}") : "mlp";

    public void CopyInto(QualityModel model)
    {
        if (ridge is not null)
        {
            model.SetLinearQualityHead(ridge.Weights, ridge.Bias);
        }
        else
        {
            mlp!.CopyInto(model);
        }
    }

    public void Dispose() => mlp?.Dispose();
}

/// <summary>
/// The frozen-trunk heads of a recipe: features are cached per view (<see cref="FeatureCache"/>), then every head is
/// fitted per fold on the other folds' rows (λ by leave-one-out error on those rows) and scores its held-out fold,
/// and once more on every item for the ensemble. Ridge fits take seconds, so they are recomputed on a resume
/// rather than stored; the expensive, resumable part is the cache.
/// </summary>
internal static class HeadStage
{
    public static HeadStageOutcome Run(RecipeRunFolder folder, RecipeConfig config, RecipeDataset data, string trunkWeights, RecipeLog log,
        CancellationToken cancellationToken)
    {
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
        var final = new Dictionary<string, FittedHead>(StringComparer.Ordinal);
        double[] target = [.. data.Items.Select(item => item.Mos)];
        foreach (HeadRecipe head in config.Heads)
        {
            float[][] x = BlockFeatureLayout.Select(views[(head.InputSize, head.ViewSide)], BlockFeatureLayout.Columns(head.Architecture));
            IReadOnlyList<UnitResult<FoldOutcome>> units = FitFolds(config, head, x, data, Biq2021Recipe.Loss(config), log, cancellationToken);
            folds[head.Name] = units;
            final[head.Name] = Fit(config, head, x, target, data.Folds.Count, Biq2021Recipe.Loss(config), cancellationToken);
            log.Line($"head {head.Name}: held-out SROCC over folds {MeanStd.Of(units.Select(u => u.Value.Metrics.Srocc)).Format()}; final {final[head.Name].Describe}");
        }

        return new HeadStageOutcome(folds, final);
    }

    /// <summary>
    /// One head fitted on each fold's training rows of <paramref name="x"/> (all items' features, dataset order) with
    /// <paramref name="loss"/> (MLP heads only), scored on the fold's held-out rows on the 0–100 scale.
    /// </summary>
    public static IReadOnlyList<UnitResult<FoldOutcome>> FitFolds(RecipeConfig config, HeadRecipe head, float[][] x, RecipeDataset data,
        QualityAwareLossOptions loss, RecipeLog log, CancellationToken cancellationToken)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < data.Items.Count; i++)
        {
            index[data.Items[i].ImageId] = i;
        }

        double[] target = [.. data.Items.Select(item => item.Mos)];
        var units = new List<UnitResult<FoldOutcome>>();
        foreach (Fold fold in data.Folds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var foldClock = System.Diagnostics.Stopwatch.StartNew();
            int[] train = [.. fold.Train.Select(item => index[item.ImageId])];
            int[] test = [.. fold.Test.Select(item => index[item.ImageId])];
            using FittedHead model = Fit(config, head, [.. train.Select(i => x[i])], [.. train.Select(i => target[i])], fold.Index, loss, cancellationToken);
            double[] predicted = [.. model.Predict([.. test.Select(i => x[i])]).Select(v => TrainedModel.Scale.Scale * v)];
            double[] mos = BaseModelPredictions.MosOnScoreScale(fold.Test);
            var outcome = new FoldOutcome(fold.Index, 0, double.NaN, false, 0, [.. fold.Test.Select(item => item.ImageId)], predicted, mos,
                EvaluationMetrics.Compute(predicted, mos));
            units.Add(new UnitResult<FoldOutcome>(outcome, foldClock.Elapsed.TotalSeconds));
            log.Line(string.Create(CultureInfo.InvariantCulture,
                $"head {head.Name} fold {fold.Index + 1}/{data.Folds.Count}: {model.Describe}, held-out SROCC {outcome.Metrics.Srocc:F4}, {foldClock.Elapsed.TotalSeconds:F0} s"));
        }

        return units;
    }

    /// <summary>Writes a head as a whole base model (trunk + quality head) that the ensemble loads like any other.</summary>
    public static string WriteWeights(RecipeRunFolder folder, HeadRecipe head, FittedHead model, string trunkWeights) =>
        WriteWeights(folder.PathOf("heads", head.Name, "model.safetensors"), head, model.CopyInto, trunkWeights);

    /// <summary>Writes the trunk with the head that <paramref name="copyHead"/> puts into the quality layer, to <paramref name="path"/>.</summary>
    public static string WriteWeights(string path, HeadRecipe head, Action<QualityModel> copyHead, string trunkWeights) =>
        TrunkHeadWeights.Write(path, head.Architecture, HiddenOf(head), trunkWeights, copyHead);

    /// <summary>Hidden units of the head's quality layer in the ensemble (0: linear).</summary>
    public static int HiddenOf(HeadRecipe head) => head.Kind == HeadKind.Mlp ? head.Hidden : 0;

    private static FittedHead Fit(RecipeConfig config, HeadRecipe head, float[][] x, double[] y, int fold, QualityAwareLossOptions loss,
        CancellationToken cancellationToken)
    {
        if (head.Kind == HeadKind.Ridge)
        {
            return new FittedHead(RidgeRegression.FitLeaveOneOut(x, y, RidgeRegression.DefaultLambdas), null);
        }

        using var threads = Training.TorchThreads.Use(config.Threads);
        HeadFittingRecipe f = config.HeadFitting;
        var options = new MlpHeadOptions
        {
            Hidden = head.Hidden,
            Epochs = f.Epochs,
            BatchSize = f.BatchSize,
            LearningRate = f.LearningRate,
            WeightDecay = f.WeightDecay,
            Loss = loss,
            Seed = head.Seed + fold,
        };
        return new FittedHead(null, MlpHead.Train(x, y, options, cancellationToken));
    }
}
