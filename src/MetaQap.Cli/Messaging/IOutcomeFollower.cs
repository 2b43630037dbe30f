using MassTransit;

namespace MetaQap.Cli.Messaging;

/// <summary>Follows the events of one published command until its outcome, printing as they arrive.</summary>
internal interface IOutcomeFollower
{
    /// <summary>Adds the event handlers to the temporary receive endpoint.</summary>
    void Subscribe(IRabbitMqReceiveEndpointConfigurator endpoint);

    /// <summary>The exit code, once the outcome event arrived.</summary>
    Task<int> Outcome { get; }

    /// <summary>What to tell the user when they stop waiting before the outcome (where to look next).</summary>
    string StillPending { get; }
}
