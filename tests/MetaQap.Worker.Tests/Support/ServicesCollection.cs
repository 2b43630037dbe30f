namespace MetaQap.Worker.Tests.Support;

/// <summary>
/// Tests that run a worker against the shared local broker: one at a time, since two hosts in one process would
/// compete for the same queues.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServicesCollection
{
    public const string Name = "Local services";
}
