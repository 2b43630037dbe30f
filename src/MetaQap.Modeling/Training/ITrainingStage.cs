using MetaQap.Modeling.Quality;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Training;

/// <summary>What differs between pretraining and fine-tuning: the data, the loss, and what is recorded about them.</summary>
internal interface ITrainingStage
{
    string Name { get; }

    /// <summary>Training samples in one full epoch (before <see cref="TrainingOptions.MaxStepsPerEpoch"/>).</summary>
    int TrainSamples { get; }

    /// <summary>
    /// The training batches of <paramref name="epoch"/> (<paramref name="steps"/> full batches), augmented, in the
    /// epoch's seeded order. Runs on a background task.
    /// </summary>
    IEnumerable<PreparedBatch> TrainBatches(int epoch, int steps, int inputSize, CancellationToken cancellationToken);

    /// <summary>The same validation batches every epoch (centre crops, no flips).</summary>
    IEnumerable<PreparedBatch> ValidationBatches(int inputSize, CancellationToken cancellationToken);

    /// <summary>The differentiable training loss of one batch.</summary>
    Tensor Loss(QualityOutput output, Tensor quality, Tensor? distortionClasses);

    /// <summary>Where the data came from, for training.json.</summary>
    object Provenance { get; }
}
