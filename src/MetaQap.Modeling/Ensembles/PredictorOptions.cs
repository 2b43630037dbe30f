namespace MetaQap.Modeling.Ensembles;

/// <summary>Where and how an <see cref="EnsemblePredictor"/> runs.</summary>
public sealed record PredictorOptions
{
    /// <summary>Torch device: "cpu" (default), "cuda" or "cuda:N". CUDA needs a CUDA-enabled TorchSharp runtime.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>
    /// Intra-op CPU threads for torch, set process-wide at load (torch has one pool per process); 0 leaves torch's
    /// current setting.
    /// </summary>
    public int Threads { get; init; }
}
