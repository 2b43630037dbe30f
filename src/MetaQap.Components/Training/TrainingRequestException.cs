using MetaQap.Contracts;

namespace MetaQap.Components.Training;

/// <summary>A training command that cannot be carried out, with the code and sentence its <c>TrainingFailed</c> carries.</summary>
public sealed class TrainingRequestException : Exception
{
    public TrainingRequestException(TrainingFailureCode code, string message)
        : base(message) => Code = code;

    public TrainingRequestException(TrainingFailureCode code, string message, Exception innerException)
        : base(message, innerException) => Code = code;

    public TrainingRequestException()
    {
    }

    public TrainingRequestException(string message)
        : base(message)
    {
    }

    public TrainingRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TrainingFailureCode Code { get; } = TrainingFailureCode.InvalidRequest;
}
