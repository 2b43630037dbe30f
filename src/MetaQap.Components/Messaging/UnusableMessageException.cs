namespace MetaQap.Components.Messaging;

/// <summary>
/// A message that cannot be used at all, however often it is tried: it is not retried (<see cref="MessageRetry"/>),
/// and MassTransit moves it to its queue's <c>_error</c> queue with this exception's message as the reason. Each
/// feature derives its own (a bad <c>ScoreImages</c>); the messaging layer throws it for a message over the size limit.
/// </summary>
public class UnusableMessageException : Exception
{
    public UnusableMessageException()
        : base("The message cannot be used.")
    {
    }

    public UnusableMessageException(string message)
        : base(message)
    {
    }

    public UnusableMessageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
