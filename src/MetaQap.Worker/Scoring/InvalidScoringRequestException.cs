namespace MetaQap.Worker.Scoring;

/// <summary>
/// A <c>ScoreImages</c> message that cannot be recorded at all (no job id, an image without a usable id, too
/// many images). Not retried: MassTransit moves it to the <c>score-images_error</c> queue.
/// </summary>
public sealed class InvalidScoringRequestException : Exception
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
