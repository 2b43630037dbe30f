using MetaQap.Imaging.Datasets;
using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Preprocessing;
using MetaQap.Modeling.Evaluation;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Training;
using MetaQap.Modeling.Weights;
using MetaQap.Testing;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class FineTunerTests : IDisposable
{
    private readonly string _root = TinyRuns.TempFolder();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Fine_tuning_on_blur_levels_ranks_held_out_scenes_by_sharpness()
    {
        Dataset dataset = TinyRuns.BlurMosFolder(Path.Combine(_root, "data"), contents: 12, size: 72);
        Fold fold = ContentDisjointFolds.Split(dataset.Items, 4, seed: 1)[0];
        var options = new FineTuningOptions { Training = TinyRuns.Options(epochs: 8, batchSize: 8) with { Patience = 0 } };

        TrainingResult result = new FineTuner(fold.Train, fold.Test, options, "blur-mos").Run(Path.Combine(_root, "run"));

        Assert.DoesNotContain(fold.Test.Select(i => i.ContentGroup), fold.Train.Select(i => i.ContentGroup).Contains);
        Assert.True(result.BestValidationSrocc > 0.5, $"held-out SROCC {result.BestValidationSrocc}");
    }

    [Fact]
    public void Early_stopping_keeps_the_weights_of_the_best_epoch()
    {
        Dataset dataset = TinyRuns.BlurMosFolder(Path.Combine(_root, "data"), contents: 8, size: 64);
        Fold fold = ContentDisjointFolds.Split(dataset.Items, 2, seed: 2)[0];
        var options = new FineTuningOptions { Training = TinyRuns.Options(epochs: 12, batchSize: 4, maxSteps: 2) with { Patience = 1, LearningRate = 3e-3 } };

        TrainingResult result = new FineTuner(fold.Train, fold.Test, options, "blur-mos").Run(Path.Combine(_root, "run"));

        Assert.True(result.StoppedEarly);
        Assert.True(result.History.Count < 12);
        Assert.Equal(result.History.MaxBy(m => m.ValidationSrocc)!.Epoch, result.BestEpoch);
        Assert.NotEqual(result.History[^1].Epoch, result.BestEpoch);
        // The saved weights reproduce the best epoch's validation SROCC, not the last epoch's.
        Assert.Equal(result.BestValidationSrocc, ValidationSrocc(result.WeightsPath, fold.Test, 64), 6);
    }

    [Fact]
    public void Initial_weights_must_match_the_architecture()
    {
        Dataset dataset = TinyRuns.BlurMosFolder(Path.Combine(_root, "data"), contents: 4, size: 64);
        string wrong = Path.Combine(_root, "wrong.safetensors");
        using (var other = new QualityModel("mobilenet_v3_small"))
        {
            SafeTensors.Save(wrong, other.state_dict());
        }

        var options = new FineTuningOptions { Training = TinyRuns.Options(epochs: 1), InitialWeights = wrong };
        Assert.Throws<StateDictMismatchException>(() =>
            new FineTuner(dataset.Items.Take(12).ToList(), dataset.Items.Skip(12).ToList(), options, "x").Run(Path.Combine(_root, "run")));
    }

    private static double ValidationSrocc(string weights, IReadOnlyList<DatasetItem> items, int size)
    {
        using var model = new QualityModel("resnet10_w32");
        Dictionary<string, Tensor> state = SafeTensors.Load(weights);
        model.LoadStateDictStrict(state);
        model.eval();
        using var noGrad = no_grad();
        var predicted = new double[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            using var scope = NewDisposeScope();
            var crop = ImageResampler.CenterCrop(ImageDecoder.DecodeFile(items[i].ImagePath), size, size);
            predicted[i] = model.forward(tensor(ChannelNormalization.ImageNet.ToChw(crop), [1, 3, size, size])).Quality.item<float>();
        }

        return Correlation.Srocc(predicted, [.. items.Select(i => i.Mos)]);
    }
}
