namespace MetaQap.Modeling.Training;

/// <summary>The contents of <c>training.json</c>.</summary>
/// <param name="Options">The stage's options record as given (training options, loss weights, stage settings).</param>
/// <param name="Data">Data provenance: the corpus or dataset, split and sample counts.</param>
/// <param name="ImagesPerSecond">Training images per second over all epochs of the run (data waits included).</param>
public sealed record TrainingReport(
    string Stage,
    string Architecture,
    int InputSize,
    long Parameters,
    int Threads,
    object Options,
    object Data,
    int BestEpoch,
    double BestValidationSrocc,
    double BestValidationPlcc,
    bool StoppedEarly,
    IReadOnlyList<EpochMetrics> Epochs,
    double TrainSeconds,
    double ValidationSeconds,
    double ImagesPerSecond,
    string WeightsFile,
    DateTimeOffset FinishedAt);
