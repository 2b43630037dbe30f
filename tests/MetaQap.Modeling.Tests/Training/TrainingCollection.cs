namespace MetaQap.Modeling.Tests.Training;

/// <summary>
/// Training runs seed torch's global generator (initialisation, dropout) and set the process-wide thread count;
/// a test of another class drawing random tensors in parallel would change what a run draws. Runs of this
/// collection therefore execute alone, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainingCollection
{
    public const string Name = "Training runs";
}
