using MetaQap.Imaging.Datasets;
using MetaQap.Imaging.Preprocessing;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Evaluation;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Tests.Training;
using MetaQap.Modeling.Training;
using MetaQap.Modeling.Weights;
using MetaQap.Testing;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Recipes;

/// <summary>
/// The fine-tuner validates on the centre crop at native resolution, which is what the ensemble scores for images
/// within its view side: a fold's validation SROCC is the held-out SROCC of the scoring path.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class ScoringViewTests : IDisposable
{
    private readonly string _root = TinyRuns.TempFolder();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Validation_metrics_equal_those_of_the_scorers_view_of_the_same_items()
    {
        Dataset dataset = TinyRuns.BlurMosFolder(Path.Combine(_root, "data"), contents: 4, size: 56);
        Fold fold = ContentDisjointFolds.Split(dataset.Items, 2, seed: 3)[0];
        var options = new FineTuningOptions { Training = TinyRuns.Options(epochs: 2, batchSize: 4, maxSteps: 2, inputSize: 32) };

        TrainingResult run = new FineTuner(fold.Train, fold.Test, options, "blur").Run(Path.Combine(_root, "run"));
        double[] scored = Score(run.WeightsPath, fold.Test);
        double[] native = Score(run.WeightsPath, fold.Test, nativeCrop: true);
        double[] resized = Score(run.WeightsPath, fold.Test, viewSide: null);

        double[] mos = [.. fold.Test.Select(i => i.Mos)];
        Assert.Equal(run.BestValidationSrocc, Correlation.Srocc(scored, mos), 6);
        Assert.Equal(run.History[run.BestEpoch].ValidationPlcc, Correlation.Plcc(scored, mos), 5);
        Assert.True(native.Zip(scored).All(p => Math.Abs(p.First - p.Second) < 1e-5), "the scorer's view is the native centre crop");
        Assert.NotEqual(scored, resized); // without a view side the scorer shrinks the 56-px images to 32 px
    }

    private static double[] Score(string weights, IReadOnlyList<DatasetItem> items, bool nativeCrop = false,
        int? viewSide = BaseModelSource.DefaultViewSide)
    {
        using var model = new QualityModel("resnet10_w32");
        Dictionary<string, Tensor> state = SafeTensors.Load(weights);
        model.LoadStateDictStrict(state);
        if (!nativeCrop)
        {
            return BaseModelPredictions.Predict(model, items, 32, ChannelNormalization.ImageNet, new OutputScale { Scale = 1, Offset = 0 },
                viewSide: viewSide);
        }

        model.eval();
        using var noGrad = no_grad();
        return [.. items.Select(item =>
        {
            using var scope = NewDisposeScope();
            var crop = ImageResampler.CenterCrop(Imaging.Decoding.ImageDecoder.DecodeFile(item.ImagePath), 32, 32);
            return (double)model.forward(tensor(ChannelNormalization.ImageNet.ToChw(crop), [1, 3, 32, 32])).Quality.item<float>();
        })];
    }
}
