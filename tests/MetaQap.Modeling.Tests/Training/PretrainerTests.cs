using MetaQap.Modeling.Training;
using MetaQap.Testing;

namespace MetaQap.Modeling.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class PretrainerTests : IDisposable
{
    private readonly string _root = TinyRuns.TempFolder();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_few_pretraining_epochs_reduce_the_training_loss()
    {
        var options = TinyRuns.Pretraining(TinyRuns.Options(epochs: 6));

        TrainingResult result = new Pretrainer(TinyRuns.Corpus(), options).Run(Path.Combine(_root, "run"));

        Assert.Equal(6, result.History.Count);
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss * 0.9,
            $"loss went from {result.History[0].TrainLoss} to {result.History[^1].TrainLoss}");
        Assert.All(result.History, m => Assert.NotNull(m.ValidationAccuracy));
        Assert.True(File.Exists(Path.Combine(_root, "run", "model.safetensors")));
        Assert.Contains("\"stage\": \"pretrain\"", File.ReadAllText(Path.Combine(_root, "run", "training.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_seed_gives_the_same_losses_and_the_same_weights()
    {
        var options = TinyRuns.Pretraining(TinyRuns.Options(epochs: 2));

        TrainingResult first = new Pretrainer(TinyRuns.Corpus(), options).Run(Path.Combine(_root, "a"));
        TrainingResult second = new Pretrainer(TinyRuns.Corpus(), options).Run(Path.Combine(_root, "b"));

        // Same thread count, same machine: libtorch's CPU kernels are deterministic, so the runs agree bit for bit.
        Assert.Equal(first.History.Select(m => m.TrainLoss), second.History.Select(m => m.TrainLoss));
        Assert.Equal(File.ReadAllBytes(first.WeightsPath), File.ReadAllBytes(second.WeightsPath));
    }

    [Fact]
    public void A_different_seed_gives_different_weights()
    {
        var options = TinyRuns.Pretraining(TinyRuns.Options(epochs: 1));
        var other = options with { Training = options.Training with { Seed = 12 } };

        TrainingResult first = new Pretrainer(TinyRuns.Corpus(), options).Run(Path.Combine(_root, "a"));
        TrainingResult second = new Pretrainer(TinyRuns.Corpus(), other).Run(Path.Combine(_root, "b"));

        Assert.NotEqual(File.ReadAllBytes(first.WeightsPath), File.ReadAllBytes(second.WeightsPath));
    }

    [Fact]
    public void Resuming_after_a_cancel_gives_the_same_result_as_an_uninterrupted_run()
    {
        var options = TinyRuns.Pretraining(TinyRuns.Options(epochs: 3));
        TrainingResult straight = new Pretrainer(TinyRuns.Corpus(), options).Run(Path.Combine(_root, "straight"));

        string interrupted = Path.Combine(_root, "interrupted");
        using var cancel = new CancellationTokenSource();
        var stopInEpoch1 = new InlineProgress<TrainingProgress>(p =>
        {
            if (p.Epoch == 1 && p.Phase == TrainingPhase.Training && p.Step == 1)
            {
                cancel.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Pretrainer(TinyRuns.Corpus(), options).Run(interrupted, progress: stopInEpoch1, cancellationToken: cancel.Token));

        // The epoch-0 checkpoint is complete, the cancelled epoch left nothing behind, and no final outputs exist yet.
        Assert.Empty(Directory.EnumerateFileSystemEntries(interrupted, "*.tmp-*", SearchOption.AllDirectories));
        Assert.True(Directory.Exists(Path.Combine(interrupted, "checkpoints", "epoch-0001")));
        Assert.False(File.Exists(Path.Combine(interrupted, "model.safetensors")));

        TrainingResult resumed = new Pretrainer(TinyRuns.Corpus(), options).Run(interrupted, resume: true);

        Assert.Equal(straight.History.Select(m => m.TrainLoss), resumed.History.Select(m => m.TrainLoss));
        Assert.Equal(straight.History.Select(m => m.ValidationSrocc), resumed.History.Select(m => m.ValidationSrocc));
        Assert.Equal(File.ReadAllBytes(straight.WeightsPath), File.ReadAllBytes(resumed.WeightsPath));
        Assert.Single(Directory.EnumerateDirectories(Path.Combine(interrupted, "checkpoints")));
    }

    [Fact]
    public void A_new_run_refuses_a_folder_that_holds_checkpoints_and_a_resume_refuses_other_options()
    {
        var options = TinyRuns.Pretraining(TinyRuns.Options(epochs: 1));
        string run = Path.Combine(_root, "run");
        new Pretrainer(TinyRuns.Corpus(), options).Run(run);

        Assert.Throws<InvalidOperationException>(() => new Pretrainer(TinyRuns.Corpus(), options).Run(run));
        var changed = options with { Training = options.Training with { LearningRate = 0.01 } };
        Assert.Throws<InvalidOperationException>(() => new Pretrainer(TinyRuns.Corpus(), changed).Run(run, resume: true));
    }

    [Fact]
    public void Fifty_steps_do_not_leak_tensors()
    {
        var options = TinyRuns.Pretraining(TinyRuns.Options(epochs: 1, batchSize: 2, maxSteps: 50, inputSize: 32) with { MaxValidationSamples = 8 });
        var live = new Dictionary<int, long>();
        var probe = new InlineProgress<TrainingProgress>(p =>
        {
            if (p.Phase == TrainingPhase.Training && p.Step is 5 or 50)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                live[p.Step] = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            }
        });

        new Pretrainer(TinyRuns.Corpus(size: 32, contents: 20), options).Run(Path.Combine(_root, "run"), progress: probe);

        Assert.Equal(live[5], live[50]);
    }
}
