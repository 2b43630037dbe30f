namespace MetaQap.Modeling.Training;

public enum TrainingPhase
{
    /// <summary>An optimisation step finished.</summary>
    Training,

    /// <summary>Validation finished and the epoch's checkpoint is written.</summary>
    EpochCompleted,
}

/// <summary>A progress report, sent after every step and after every epoch (on the training thread).</summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="Step">Steps done in this epoch (1..StepsPerEpoch).</param>
/// <param name="Loss">Mean training loss of the epoch so far.</param>
/// <param name="ValidationPlcc">Set on <see cref="TrainingPhase.EpochCompleted"/>.</param>
/// <param name="ImagesPerSecond">Training images per second of this epoch so far (data waits included).</param>
/// <param name="Eta">Estimated time to the last epoch, from this run's mean step time; null before the first step.</param>
public sealed record TrainingProgress(
    string Stage,
    TrainingPhase Phase,
    int Epoch,
    int Epochs,
    int Step,
    int StepsPerEpoch,
    double Loss,
    double LearningRate,
    double? ValidationPlcc,
    double? ValidationSrocc,
    double ImagesPerSecond,
    TimeSpan? Eta);
