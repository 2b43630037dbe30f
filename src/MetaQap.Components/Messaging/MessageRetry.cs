using MassTransit;
using Npgsql;

namespace MetaQap.Components.Messaging;

/// <summary>
/// The consumers' retry policy. A message that is bad in itself is not retried (it goes to the error queue at
/// once); anything else (PostgreSQL or the broker unreachable, restarting, a timeout) is retried in memory with
/// exponential back-off, 0.5 s growing to 30 s, 20 attempts: a dependency may be down for about 8 minutes before
/// the message is given up. Retried work is idempotent: stored outcomes are not redone, and what an earlier
/// attempt stored but did not publish is published by the next (the outcome path's resumed attempt).
/// </summary>
internal static class MessageRetry
{
    public static void Configure(IRetryConfigurator retry)
    {
        retry.Ignore<UnusableMessageException>();
        retry.Ignore<PostgresException>(IsPermanent);
        retry.Exponential(20, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// Errors in the data or the statement (SQLSTATE classes 22, 23, 42) fail the same way every time; connection,
    /// shutdown, resource and serialisation errors (08, 57, 53, 40 …) do not.
    /// </summary>
    internal static bool IsPermanent(PostgresException e) =>
        !e.IsTransient && e.SqlState.Length >= 2 && e.SqlState[..2] is "22" or "23" or "42";
}
