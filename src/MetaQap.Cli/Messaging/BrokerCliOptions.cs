using System.CommandLine;
using MassTransit;
using MetaQap.Components.Messaging;

namespace MetaQap.Cli.Messaging;

/// <summary>
/// The options of the commands that publish to the workers (--rabbitmq, and --wait/--timeout where an outcome can be
/// waited for), and the one way they publish: the bus is started, with the reply subscription when waiting, before
/// anything goes out, so an outcome that comes back at once is not missed.
/// </summary>
internal sealed class BrokerCliOptions
{
    // No DefaultValueFactory: help would print the default, and the URI holds a password.
    private readonly Option<string?> _rabbitMq = new("--rabbitmq")
    {
        Description = "Broker URI (default: $MetaQap__RabbitMq__Uri, which deploy/local/env.sh sets).",
    };

    private readonly Option<bool> _wait;
    private readonly Option<int> _timeout;

    /// <param name="waitDescription">What --wait waits for.</param>
    /// <param name="defaultTimeoutSeconds">The --timeout default; 0 waits without limit.</param>
    public BrokerCliOptions(string waitDescription, int defaultTimeoutSeconds)
    {
        _wait = new Option<bool>("--wait") { Description = waitDescription };
        _timeout = new Option<int>("--timeout")
        {
            Description = "Seconds to wait with --wait (0: no limit).",
            DefaultValueFactory = _ => defaultTimeoutSeconds,
        };
    }

    public bool CanWait { get; private init; } = true;

    /// <summary>Only --rabbitmq: for a command that has no outcome to wait for.</summary>
    public static BrokerCliOptions PublishOnly() => new("", 0) { CanWait = false };

    public void AddTo(Command command)
    {
        command.Options.Add(_rabbitMq);
        if (CanWait)
        {
            command.Options.Add(_wait);
            command.Options.Add(_timeout);
        }
    }

    public bool Wait(ParseResult parse) => CanWait && parse.GetValue(_wait);

    /// <summary>
    /// The broker URI: --rabbitmq, else $MetaQap__RabbitMq__Uri; null (with the error written) when neither is a
    /// usable absolute URI. The one place every publishing command resolves it.
    /// </summary>
    public async Task<string?> BrokerAsync(ParseResult parse)
    {
        string? broker = parse.GetValue(_rabbitMq) ?? Environment.GetEnvironmentVariable("MetaQap__RabbitMq__Uri");
        if (string.IsNullOrEmpty(broker) || !Uri.TryCreate(broker, UriKind.Absolute, out _))
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync("No broker: pass --rabbitmq amqp://user:password@host:5672/ or set MetaQap__RabbitMq__Uri.");
            return null;
        }

        return broker;
    }

    /// <summary>
    /// Publishes <paramref name="message"/>, prints <paramref name="announcement"/>, and with --wait returns what
    /// <paramref name="follower"/> makes of the events that come back (null for a command that has none).
    /// </summary>
    public async Task<int> PublishAsync<T>(ParseResult parse, T message, string announcement, IOutcomeFollower? follower,
        CancellationToken cancellationToken)
        where T : class
    {
        TextWriter output = parse.InvocationConfiguration.Output;
        TextWriter error = parse.InvocationConfiguration.Error;
        int timeoutSeconds = parse.GetValue(_timeout);
        if (timeoutSeconds < 0)
        {
            return ExitCodes.Usage(parse, "--timeout must be 0 (no limit) or a number of seconds.");
        }

        if (await BrokerAsync(parse) is not { } broker)
        {
            return ExitCodes.UsageError;
        }

        Uri brokerUri = new(broker);

        bool wait = Wait(parse) && follower is not null;
        IBusControl bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new RabbitMqOptions { Uri = broker });
            if (wait)
            {
                // A temporary, auto-deleted queue bound to the event exchanges; one message at a time, so progress
                // prints in the order it was published and the outcome comes last.
                rabbit.ReceiveEndpoint(endpoint =>
                {
                    endpoint.ConcurrentMessageLimit = 1;
                    follower!.Subscribe(endpoint);
                });
            }
        });
        try
        {
            using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            startTimeout.CancelAfter(TimeSpan.FromSeconds(30));
            await bus.StartAsync(startTimeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or RabbitMqConnectionException && !cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"Cannot reach RabbitMQ at {brokerUri.Host}:{brokerUri.Port}: {e.Message}");
            return ExitCodes.Failure;
        }

        try
        {
            await bus.Publish(message, cancellationToken);
            await output.WriteLineAsync(announcement);
            if (!wait || follower is null)
            {
                return ExitCodes.Success;
            }

            try
            {
                return timeoutSeconds == 0
                    ? await follower.Outcome.WaitAsync(cancellationToken)
                    : await follower.Outcome.WaitAsync(TimeSpan.FromSeconds(timeoutSeconds), cancellationToken);
            }
            catch (TimeoutException)
            {
                await error.WriteLineAsync($"No outcome within {timeoutSeconds} s. {follower.StillPending}");
                return ExitCodes.TimedOut;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync($"Stopped waiting. {follower.StillPending}");
                return ExitCodes.Cancelled;
            }
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }
}
