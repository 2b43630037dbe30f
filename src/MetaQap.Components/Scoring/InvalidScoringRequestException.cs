using MetaQap.Components.Messaging;

namespace MetaQap.Components.Scoring;

/// <summary>
/// A message that cannot be used at all: a <c>ScoreImages</c> without a job id, with an image without a usable id,
/// with too many images or with NUL characters where PostgreSQL cannot store them, or with an unreadable manifest.
/// Not retried: MassTransit moves it to the queue's <c>_error</c> queue, with this message as the reason.
/// </summary>
public sealed class InvalidScoringRequestException : UnusableMessageException
{
    public InvalidScoringRequestException()
        : base("The ScoreImages message is invalid.")
    {
    }

    public InvalidScoringRequestException(string message)
        : base(message)
    {
    }

    public InvalidScoringRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
