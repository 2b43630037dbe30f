using System.Text.Json.Serialization;

namespace MetaQap.Contracts;

/// <summary>What a training run does; serialised as its name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrainingKind>))]
public enum TrainingKind
{
    /// <summary><see cref="PretrainBaseModel"/>: quality-aware pretraining on the streamed corpus.</summary>
    Pretrain,

    /// <summary><see cref="TrainBaseModel"/>: fine-tuning on a MOS dataset with the quality-aware loss.</summary>
    Train,

    /// <summary><see cref="FitMetaLearner"/>: the meta-learner over base models, giving an ensemble.</summary>
    FitMeta,

    /// <summary><see cref="CalibrateEnsemble"/>: an ensemble fitted to a user's ratings, giving a new ensemble.</summary>
    Calibrate,
}
