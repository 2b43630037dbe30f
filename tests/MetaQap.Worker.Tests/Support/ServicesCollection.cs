namespace MetaQap.Worker.Tests.Support;

/// <summary>
/// Tests that run a worker against the shared local broker, or create the worker's metrics: one at a time. Two
/// hosts in one process would compete for the same queues, and prometheus-net's MeterAdapter keeps per-instrument
/// state in statics that a disposed adapter clears under a live one (one adapter per process, as in production).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServicesCollection
{
    public const string Name = "Local services";
}
