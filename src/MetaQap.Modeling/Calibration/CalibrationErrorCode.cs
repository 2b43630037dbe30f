namespace MetaQap.Modeling.Calibration;

/// <summary>Why a calibration was refused (docs/calibration.md lists each with its fix).</summary>
public enum CalibrationErrorCode
{
    /// <summary>Fewer rated images than <see cref="CalibrationOptions.MinItems"/>: the fit would be noise.</summary>
    TooFewImages,

    /// <summary>Every rated image has the same score: there is no ranking to learn.</summary>
    ConstantScores,

    /// <summary>A rated image cannot be decoded (truncated, not an image, unsupported); the message names its file.</summary>
    UnreadableImage,

    /// <summary>The ensemble is already a calibrated one: calibrate the ensemble it was made from, with all the ratings.</summary>
    AlreadyCalibrated,
}
