namespace MetaQap.Modeling.Training;

/// <summary>One epoch of a run, as training.json records it.</summary>
/// <param name="ValidationAccuracy">Distortion-type accuracy (pretraining only).</param>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double LearningRate,
    int TrainImages,
    double ValidationPlcc,
    double ValidationSrocc,
    double? ValidationAccuracy,
    int ValidationImages,
    double TrainSeconds,
    double ValidationSeconds,
    double ImagesPerSecond);
