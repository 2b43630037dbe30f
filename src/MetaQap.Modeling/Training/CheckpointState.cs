namespace MetaQap.Modeling.Training;

/// <summary>Everything besides tensors that a resume needs, written as the checkpoint's state.json.</summary>
/// <param name="OptionsJson">The run's options; a resume with different options is refused (the schedule, the
/// shuffles and the split all depend on them).</param>
/// <param name="GlobalStep">Optimisation steps done; the learning rate is a function of it.</param>
/// <param name="EpochsSinceBest">Epochs since the validation SROCC last improved (early stopping's counter).</param>
/// <param name="Finished">True once the run ended (all epochs, or stopped early); a resume then only rewrites the outputs.</param>
public sealed record CheckpointState(
    string Stage,
    string OptionsJson,
    int EpochsCompleted,
    long GlobalStep,
    long OptimizerSteps,
    int BestEpoch,
    double BestSrocc,
    int EpochsSinceBest,
    bool Finished,
    bool StoppedEarly,
    IReadOnlyList<EpochMetrics> History);
