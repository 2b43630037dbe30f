using System.Text;
using MassTransit;
using MetaQap.Components.Telemetry;

namespace MetaQap.Components.Messaging;

/// <summary>
/// First filter of an endpoint's error pipe: a message on its way to the <c>_error</c> queue (it could not be
/// deserialised, failed validation, was too large, or failed every retry) is counted in
/// <c>metaqap_poison_messages_total{queue}</c>, logged, and given a one-line reason in the
/// <see cref="PoisonMessagePolicy.ReasonHeader"/> header next to MassTransit's own <c>MT-Fault-*</c> headers.
/// </summary>
internal sealed class PoisonMessageFilter(string queue, WorkerMetrics metrics, ILogger logger) : IFilter<ExceptionReceiveContext>
{
    private const int MaxReasonLength = 1000;

    public Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        string reason = Describe(context.Exception);
        context.ExceptionHeaders.Set(PoisonMessagePolicy.ReasonHeader, reason);
        metrics.PoisonMessage(queue);
        logger.LogWarning("Poison message on {Queue} moved to {Queue}_error: {Reason}", queue, queue, reason);
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("poisonMessage");

    /// <summary>
    /// The messages of the exception and its inner exceptions, outermost first: MassTransit wraps a JSON error in
    /// "An exception occurred while deserializing…", and the useful part (which field, which line) is inside.
    /// </summary>
    internal static string Describe(Exception exception)
    {
        var reason = new StringBuilder();
        for (Exception? e = exception; e is not null && reason.Length < MaxReasonLength; e = e.InnerException)
        {
            if (e is AggregateException { InnerExceptions.Count: 1 } single)
            {
                e = single.InnerExceptions[0];
            }

            string message = e.Message.ReplaceLineEndings(" ");
            if (reason.Length > 0)
            {
                reason.Append(" <- ");
            }

            reason.Append(e.GetType().Name).Append(": ").Append(message);
        }

        return reason.Length <= MaxReasonLength ? reason.ToString() : reason.ToString(0, MaxReasonLength);
    }
}
