using MassTransit;

namespace MetaQap.Components.Messaging;

/// <summary>
/// Refuses a message whose body is over <see cref="RabbitMqOptions.MaxMessageBytes"/> before any consumer reads it.
/// It runs on the endpoint's consume pipe, ahead of the consumers' retry, so the refusal is not retried: the
/// message goes straight to the error queue with the reason.
/// </summary>
internal sealed class MessageSizeFilter(long maxBytes) : IFilter<ConsumeContext>
{
    public Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        MessageBody body = context.ReceiveContext.Body;
        long length = body.Length ?? body.GetBytes().LongLength;
        if (length > maxBytes)
        {
            throw new UnusableMessageException(
                $"The message body has {length} bytes, over the limit of {maxBytes} ({RabbitMqOptions.SectionName}:MaxMessageBytes).");
        }

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("messageSize");
}
