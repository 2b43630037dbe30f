namespace MetaQap.Components.Training;

/// <summary>The training role's queue names (docs/training.md).</summary>
public static class TrainingQueues
{
    /// <summary>PretrainBaseModel, TrainBaseModel and FitMetaLearner: recorded as runs, trained by the runners.</summary>
    public const string TrainingCommands = "training-commands";

    public const string CancelTrainingRun = "cancel-training-run";
}
