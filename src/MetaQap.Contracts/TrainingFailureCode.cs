using System.Text.Json.Serialization;

namespace MetaQap.Contracts;

/// <summary>
/// Why a training run failed. Serialised as its name. New codes may be added; existing names never change meaning.
/// Request problems are found before any training starts (the run fails within a second of being received).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrainingFailureCode>))]
public enum TrainingFailureCode
{
    /// <summary>A field is missing or out of range (an empty run id, a batch size of 1, a fold not of the form k/K …).</summary>
    InvalidRequest,

    /// <summary>The architecture is not one the worker can build.</summary>
    UnknownArchitecture,

    /// <summary>The dataset folder, manifest or photo folder does not exist.</summary>
    DataNotFound,

    /// <summary>The data is outside the worker's data roots (or a URI scheme other than file://).</summary>
    DataAccessDenied,

    /// <summary>The dataset or photo folder holds no usable item (or too few for the folds asked).</summary>
    DataEmpty,

    /// <summary>The dataset cannot be read: a CSV with bad rows, a MOS that is not a number, a missing or undecodable image.</summary>
    DataInvalid,

    /// <summary>A base model or initial artifact does not exist, is not finished, or does not fit (architecture).</summary>
    UnknownArtifact,

    /// <summary>An artifact's file is missing or its SHA-256 no longer matches the registry.</summary>
    ArtifactCorrupt,

    /// <summary>The ensemble to promote does not exist.</summary>
    UnknownEnsemble,

    /// <summary>Stopped by <see cref="CancelTrainingRun"/>.</summary>
    Cancelled,

    /// <summary>A calibration was given fewer rated images than it needs (30).</summary>
    TooFewRatings,

    /// <summary>Every rated image of a calibration has the same MOS: there is no ranking to learn.</summary>
    ConstantRatings,

    /// <summary>The ensemble to calibrate is itself a calibration: calibrate the ensemble it was made from, with all the ratings.</summary>
    AlreadyCalibrated,

    /// <summary>Training itself failed (a non-finite loss, an out-of-memory, a libtorch error); the message says which.</summary>
    TrainingError,
}
