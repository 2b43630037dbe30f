using System.Text.Json;
using MetaQap.Imaging.Datasets;
using MetaQap.Modeling.Tests.Training;
using MetaQap.Modeling.Training;
using MetaQap.Testing;

namespace MetaQap.Modeling.Tests.Recipes;

/// <summary>The final fit's <see cref="TrainingOptions.KeepLastEpoch"/>: no held-out data, so the last epoch's weights are kept.</summary>
[Collection(TrainingCollection.Name)]
public sealed class KeepLastEpochTests : IDisposable
{
    private readonly string _root = TinyRuns.TempFolder();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void The_last_epoch_is_kept_whatever_its_validation_srocc()
    {
        Dataset dataset = TinyRuns.BlurMosFolder(Path.Combine(_root, "data"), contents: 4, size: 40);
        Fold fold = ContentDisjointFolds.Split(dataset.Items, 2, seed: 2)[0];
        TrainingOptions training = TinyRuns.Options(epochs: 6, batchSize: 4, maxSteps: 2, inputSize: 32) with { LearningRate = 3e-3, Patience = 1 };

        TrainingResult best = new FineTuner(fold.Train, fold.Test, new FineTuningOptions { Training = training }, "blur").Run(Path.Combine(_root, "best"));
        TrainingResult last = new FineTuner(fold.Train, fold.Test, new FineTuningOptions { Training = training with { KeepLastEpoch = true } }, "blur")
            .Run(Path.Combine(_root, "last"));

        Assert.True(best.StoppedEarly); // the same run picks an earlier epoch without the option
        Assert.NotEqual(best.History[^1].Epoch, best.BestEpoch);
        Assert.Equal(6, last.History.Count); // and with it, patience never stops it
        Assert.Equal(5, last.BestEpoch);
        Assert.Equal(last.History[^1].ValidationSrocc, last.BestValidationSrocc);
    }

    [Fact]
    public void Options_without_it_serialise_as_before_so_older_checkpoints_still_resume()
    {
        var options = new FineTuningOptions();

        string json = JsonSerializer.Serialize(options, TrainingJson.Options);
        string withIt = JsonSerializer.Serialize(options with { Training = options.Training with { KeepLastEpoch = true } }, TrainingJson.Options);

        Assert.DoesNotContain("keepLastEpoch", json, StringComparison.Ordinal);
        Assert.Contains("\"keepLastEpoch\": true", withIt, StringComparison.Ordinal);
    }
}
