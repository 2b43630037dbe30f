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

/// <summary>
/// What the head stage produced: per head its fold outcomes (for the out-of-fold table) and the weights file of its
/// final fit on every item (trunk + head, a whole base model).
/// </summary>
internal sealed record HeadStageOutcome(
    IReadOnlyDictionary<string, IReadOnlyList<UnitResult<FoldOutcome>>> Folds,
    IReadOnlyDictionary<string, string> FinalWeights);

/// <summary>A head's final fit as its unit records it: how it was fitted (its weights are the unit's model.safetensors).</summary>
internal sealed record FinalHeadOutcome(string Fit);

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
/// and once more on every item for the ensemble. Every fold and the final fit is a resumable unit
/// (<c>heads/&lt;name&gt;/fold-k</c>, <c>heads/&lt;name&gt;</c> with its model.safetensors): a two-layer head takes half a
/// minute per fold on 5,000 rows, and refitting every head on a resume (before session 13) cost 9.7 of the preset's 34 minutes.
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
        var finalWeights = new Dictionary<string, string>(StringComparer.Ordinal);
        double[] target = [.. data.Items.Select(item => item.Mos)];
        QualityAwareLossOptions loss = Biq2021Recipe.Loss(config);
        foreach (HeadRecipe head in config.Heads)
        {
            float[][] x = BlockFeatureLayout.Select(views[(head.InputSize, head.ViewSide)], BlockFeatureLayout.Columns(head.Architecture));
            IReadOnlyList<UnitResult<FoldOutcome>> units = FitFolds(config, head, x, data, loss, folder, log, cancellationToken);
            folds[head.Name] = units;
            string unit = folder.PathOf("heads", head.Name);
            UnitResult<FinalHeadOutcome> final = WorkUnit.Run(folder, unit, $"head {head.Name} final fit", log, dir =>
            {
                using FittedHead model = Fit(config, head, x, target, data.Folds.Count, loss, cancellationToken);
                WriteWeights(Path.Combine(dir, WeightsFile), head, model.CopyInto, trunkWeights);
                return new FinalHeadOutcome(model.Describe);
            });
            finalWeights[head.Name] = Path.Combine(unit, WeightsFile);
            log.Line($"head {head.Name}: held-out SROCC over folds {MeanStd.Of(units.Select(u => u.Value.Metrics.Srocc)).Format()}; final {final.Value.Fit}");
        }

        return new HeadStageOutcome(folds, finalWeights);
    }

    /// <summary>The weights file of a head's final unit (as a rank head's, docs/recipes.md).</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>
    /// One head fitted on each fold's training rows of <paramref name="x"/> (all items' features, dataset order) with
    /// <paramref name="loss"/> (MLP heads only), scored on the fold's held-out rows on the 0–100 scale; each fold is a
    /// resumable unit of <paramref name="folder"/> (<c>heads/&lt;name&gt;/fold-k</c>).
    /// </summary>
    public static IReadOnlyList<UnitResult<FoldOutcome>> FitFolds(RecipeConfig config, HeadRecipe head, float[][] x, RecipeDataset data,
        QualityAwareLossOptions loss, RecipeRunFolder folder, RecipeLog log, CancellationToken cancellationToken)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < data.Items.Count; i++)
        {
            index[data.Items[i].ImageId] = i;
        }

        double[] target = [.. data.Items.Select(item => item.Mos)];
        var results = new List<UnitResult<FoldOutcome>>();
        foreach (Fold fold in data.Folds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string label = string.Create(CultureInfo.InvariantCulture, $"head {head.Name} fold {fold.Index + 1}/{data.Folds.Count}");
            string directory = folder.PathOf("heads", head.Name, string.Create(CultureInfo.InvariantCulture, $"fold-{fold.Index + 1}"));
            results.Add(WorkUnit.Run(folder, directory, label, log, _ =>
            {
                int[] train = [.. fold.Train.Select(item => index[item.ImageId])];
                int[] test = [.. fold.Test.Select(item => index[item.ImageId])];
                using FittedHead model = Fit(config, head, [.. train.Select(i => x[i])], [.. train.Select(i => target[i])], fold.Index, loss, cancellationToken);
                double[] predicted = [.. model.Predict([.. test.Select(i => x[i])]).Select(v => TrainedModel.Scale.Scale * v)];
                double[] mos = BaseModelPredictions.MosOnScoreScale(fold.Test);
                var outcome = new FoldOutcome(fold.Index, 0, double.NaN, false, 0, [.. fold.Test.Select(item => item.ImageId)], predicted, mos,
                    EvaluationMetrics.Compute(predicted, mos));
                log.Line(string.Create(CultureInfo.InvariantCulture,
                    $"{label}: {model.Describe}, held-out SROCC {outcome.Metrics.Srocc:F4}")); // WorkUnit logs the seconds
                return outcome;
            }));
        }

        return results;
    }

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
