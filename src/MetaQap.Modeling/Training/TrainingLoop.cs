using System.Diagnostics;
using System.Text.Json;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Training;

/// <summary>
/// The epoch loop shared by both stages: AdamW with warm-up + cosine, gradient clipping, validation SROCC after
/// every epoch, a checkpoint after every epoch, early stopping that keeps the best weights, and cancellation
/// between steps (the last complete checkpoint stays the resume point). Each step runs in its own dispose scope.
/// </summary>
internal sealed class TrainingLoop
{
    private readonly QualityModel _model;
    private readonly TrainingOptions _options;
    private readonly ITrainingStage _stage;
    private readonly string _outputDirectory;
    private readonly string _optionsJson;
    private readonly object _stageOptions;
    private readonly int _inputSize;
    private readonly int _stepsPerEpoch;
    private readonly LearningRateSchedule _schedule;
    private readonly Stopwatch _runClock = new();
    private long _stepsThisRun;

    public TrainingLoop(QualityModel model, TrainingOptions options, object stageOptions, ITrainingStage stage, string outputDirectory)
    {
        _model = model;
        _options = options;
        _stage = stage;
        _stageOptions = stageOptions;
        _outputDirectory = Path.GetFullPath(outputDirectory);
        _optionsJson = JsonSerializer.Serialize(stageOptions, stageOptions.GetType(), TrainingJson.Options);
        _inputSize = options.InputSize ?? model.InputSize;
        int fullSteps = stage.TrainSamples / options.BatchSize;
        if (fullSteps < 1)
        {
            throw new ArgumentException($"{stage.TrainSamples} training samples do not fill one batch of {options.BatchSize}.");
        }

        _stepsPerEpoch = Math.Min(fullSteps, options.MaxStepsPerEpoch ?? int.MaxValue);
        _schedule = LearningRateSchedule.Create(options, (long)_stepsPerEpoch * options.Epochs);
    }

    public TrainingResult Run(bool resume, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var store = new CheckpointStore(_outputDirectory);
        using var optimizer = new AdamWOptimizer(_model.named_parameters(), _options.Beta1, _options.Beta2, _options.Epsilon, _options.WeightDecay);
        var best = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            CheckpointState state = Restore(store, resume, optimizer, best);
            var history = new List<EpochMetrics>(state.History);
            _runClock.Restart();
            for (int epoch = state.EpochsCompleted; epoch < _options.Epochs && !state.Finished; epoch++)
            {
                var (loss, lr, trainSeconds) = TrainEpoch(epoch, state.GlobalStep, optimizer, progress, cancellationToken);
                var validationClock = Stopwatch.StartNew();
                ValidationResult validation = Validation.Run(_model, _stage.ValidationBatches(_inputSize, cancellationToken), cancellationToken);
                int images = _stepsPerEpoch * _options.BatchSize;
                var metrics = new EpochMetrics(epoch, loss, lr, images, validation.Plcc, validation.Srocc, validation.Accuracy,
                    validation.Count, trainSeconds, validationClock.Elapsed.TotalSeconds, images / trainSeconds);
                history.Add(metrics);

                bool improved = _options.KeepLastEpoch || state.BestEpoch < 0
                    || (double.IsFinite(validation.Srocc) && !(validation.Srocc <= state.BestSrocc));
                if (improved)
                {
                    CopyWeights(_model.state_dict(), best);
                }

                int sinceBest = improved ? 0 : state.EpochsSinceBest + 1;
                bool stopEarly = _options.Patience > 0 && sinceBest >= _options.Patience;
                state = state with
                {
                    EpochsCompleted = epoch + 1,
                    GlobalStep = state.GlobalStep + _stepsPerEpoch,
                    OptimizerSteps = optimizer.StepCount,
                    BestEpoch = improved ? epoch : state.BestEpoch,
                    BestSrocc = improved ? validation.Srocc : state.BestSrocc,
                    EpochsSinceBest = sinceBest,
                    Finished = stopEarly || epoch + 1 == _options.Epochs,
                    StoppedEarly = stopEarly,
                    History = history,
                };
                store.Save(state, _model.state_dict(), optimizer.StateTensors(), best);
                progress?.Report(new TrainingProgress(_stage.Name, TrainingPhase.EpochCompleted, epoch, _options.Epochs, _stepsPerEpoch,
                    _stepsPerEpoch, loss, lr, validation.Plcc, validation.Srocc, metrics.ImagesPerSecond, null));
            }

            _model.LoadStateDictStrict(best);
            return WriteOutputs(state);
        }
        finally
        {
            foreach (Tensor t in best.Values)
            {
                t.Dispose();
            }
        }
    }

    private (double Loss, double LearningRate, double Seconds) TrainEpoch(int epoch, long firstStep, AdamWOptimizer optimizer,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        // Dropout draws from torch's global generator: seeding it per epoch makes a resumed epoch draw the same masks.
        torch.manual_seed(TrainingSeeds.Mix(_options.Seed, epoch, 0, TrainingSeeds.Dropout));
        _model.train();
        var clock = Stopwatch.StartNew();
        double lossSum = 0, lr = 0;
        int step = 0;
        foreach (PreparedBatch batch in BatchPrefetcher.Prefetch(_stage.TrainBatches(epoch, _stepsPerEpoch, _inputSize, cancellationToken),
            _options.PrefetchBatches, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            lr = _schedule.At(firstStep + step);
            lossSum += Step(batch, optimizer, lr);
            step++;
            _stepsThisRun++;
            long remaining = ((long)(_options.Epochs - epoch) * _stepsPerEpoch) - step;
            TimeSpan eta = _runClock.Elapsed / _stepsThisRun * remaining;
            progress?.Report(new TrainingProgress(_stage.Name, TrainingPhase.Training, epoch, _options.Epochs, step, _stepsPerEpoch,
                lossSum / step, lr, null, null, step * _options.BatchSize / clock.Elapsed.TotalSeconds, eta));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (step != _stepsPerEpoch)
        {
            throw new InvalidOperationException($"Epoch {epoch} produced {step} batches instead of {_stepsPerEpoch}.");
        }

        return (lossSum / step, lr, clock.Elapsed.TotalSeconds);
    }

    private double Step(PreparedBatch batch, AdamWOptimizer optimizer, double learningRate)
    {
        using var scope = NewDisposeScope();
        optimizer.LearningRate = learningRate;
        optimizer.ZeroGrad();
        Tensor images = batch.ImagesTensor();
        Tensor quality = batch.QualityTensor();
        Tensor? classes = batch.DistortionTensor();
        QualityOutput output = _model.forward(images);
        Tensor loss = _stage.Loss(output, quality, classes);
        loss.backward();
        if (_options.GradientClipNorm > 0)
        {
            nn.utils.clip_grad_norm_(optimizer.Parameters, _options.GradientClipNorm);
        }

        optimizer.Step();
        return loss.item<float>();
    }

    private CheckpointState Restore(CheckpointStore store, bool resume, AdamWOptimizer optimizer, Dictionary<string, Tensor> best)
    {
        var fresh = new CheckpointState(_stage.Name, _optionsJson, 0, 0, 0, -1, double.NaN, 0, false, false, []);
        if (!resume)
        {
            if (Directory.Exists(Path.Combine(_outputDirectory, CheckpointStore.FolderName)))
            {
                throw new InvalidOperationException($"{_outputDirectory} already holds a run's checkpoints; resume it or choose another folder.");
            }

            return fresh;
        }

        using LoadedCheckpoint? checkpoint = store.LoadLatest();
        if (checkpoint is null)
        {
            return fresh;
        }

        if (checkpoint.State.Stage != _stage.Name || checkpoint.State.OptionsJson != _optionsJson)
        {
            throw new InvalidOperationException(
                $"The checkpoint in {_outputDirectory} was made by a {checkpoint.State.Stage} run with other options; a resume must use the same options.");
        }

        _model.LoadStateDictStrict(checkpoint.Model);
        optimizer.LoadState(checkpoint.Optimizer, checkpoint.State.OptimizerSteps);
        CopyWeights(checkpoint.Best, best);
        return checkpoint.State;
    }

    private static void CopyWeights(IReadOnlyDictionary<string, Tensor> source, Dictionary<string, Tensor> destination)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in source)
        {
            if (destination.Remove(name, out Tensor? old))
            {
                old.Dispose();
            }

            destination[name] = tensor.detach().clone();
        }
    }

    private TrainingResult WriteOutputs(CheckpointState state)
    {
        string weights = Path.Combine(_outputDirectory, "model.safetensors");
        string reportPath = Path.Combine(_outputDirectory, "training.json");
        AtomicFile.Write(weights, s => SafeTensors.Save(s, _model.state_dict()));
        EpochMetrics? bestMetrics = state.History.FirstOrDefault(m => m.Epoch == state.BestEpoch);
        double trainSeconds = state.History.Sum(m => m.TrainSeconds);
        var report = new TrainingReport(_stage.Name, _model.Architecture, _inputSize, _model.parameters().Sum(p => p.numel()),
            torch.get_num_threads(), _stageOptions, _stage.Provenance, state.BestEpoch, state.BestSrocc, bestMetrics?.ValidationPlcc ?? double.NaN,
            state.StoppedEarly, state.History, trainSeconds, state.History.Sum(m => m.ValidationSeconds),
            state.History.Sum(m => m.TrainImages) / Math.Max(trainSeconds, 1e-9), "model.safetensors", DateTimeOffset.UtcNow);
        AtomicFile.Write(reportPath, s => JsonSerializer.Serialize(s, report, TrainingJson.Options));
        return new TrainingResult(_outputDirectory, weights, reportPath, state.BestEpoch, state.BestSrocc, state.StoppedEarly, state.History);
    }
}
