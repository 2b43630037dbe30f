namespace MetaQap.Modeling.Calibration;

/// <summary>A calibration cannot run on the given ratings; <see cref="Code"/> says why, the message what to do. Nothing was written.</summary>
public sealed class CalibrationException(CalibrationErrorCode code, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public CalibrationErrorCode Code { get; } = code;
}
