using MetaQap.Components.Registry;
using MetaQap.Imaging.Datasets;
using MetaQap.Imaging.Pristine;
using MetaQap.Modeling.Training;

namespace MetaQap.Components.Training;

/// <summary>A checked training command, ready to run: every path resolved, every option validated.</summary>
public abstract record TrainingPlan(Guid RunId);

/// <summary>Pretraining on the quality-aware corpus over <see cref="Pristine"/>.</summary>
public sealed record PretrainPlan(Guid RunId, IPristineSource Pristine, PretrainingOptions Options, object Provenance) : TrainingPlan(RunId);

/// <summary>Fine-tuning on fold <c>k/K</c> of a MOS dataset.</summary>
public sealed record TrainPlan(Guid RunId, Fold Split, FineTuningOptions Options, object Provenance) : TrainingPlan(RunId);

/// <summary>One base model of a fit-meta run: its registry entry and weights file.</summary>
public sealed record MetaBaseModel(string Name, ModelArtifactRecord Artifact, string WeightsFile);

/// <summary>The meta-learner over <see cref="Models"/>, fitted on <see cref="Items"/> (empty for a plain mean without data).</summary>
public sealed record FitMetaPlan(Guid RunId, IReadOnlyList<MetaBaseModel> Models, IReadOnlyList<DatasetItem> Items, bool Stepwise,
    string Version, object Provenance) : TrainingPlan(RunId);

/// <summary>A user's ratings fitted onto a registered ensemble (<see cref="MetaQap.Modeling.Calibration.EnsembleCalibrator"/>).</summary>
public sealed record CalibratePlan(Guid RunId, EnsembleRecord Source, string SourceDirectory, IReadOnlyList<DatasetItem> Items,
    MetaQap.Modeling.Calibration.CalibrationOptions Options, string Version, string DatasetPath) : TrainingPlan(RunId);
