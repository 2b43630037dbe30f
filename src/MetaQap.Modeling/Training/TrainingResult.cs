namespace MetaQap.Modeling.Training;

/// <summary>The outcome of a run; the same facts are in <c>training.json</c> next to <c>model.safetensors</c>.</summary>
public sealed record TrainingResult(
    string OutputDirectory,
    string WeightsPath,
    string ReportPath,
    int BestEpoch,
    double BestValidationSrocc,
    bool StoppedEarly,
    IReadOnlyList<EpochMetrics> History);
