namespace MetaQap.Modeling.Training;

/// <summary>What fine-tuning on a MOS dataset adds to <see cref="TrainingOptions"/>.</summary>
public sealed record FineTuningOptions
{
    public TrainingOptions Training { get; init; } = new() { LearningRate = 1e-4 };

    /// <summary>
    /// Weights to start from (a pretraining run's <c>model.safetensors</c>: backbone and both heads, loaded strictly);
    /// null starts from the seeded random initialisation.
    /// </summary>
    public string? InitialWeights { get; init; }

    /// <summary>
    /// Memory for decoded images kept as 8-bit RGB (3 bytes a pixel): a 5000-image 512×384 dataset needs ~2.9 GB.
    /// Images that do not fit are decoded again each time they are used.
    /// </summary>
    public long ImageCacheBytes { get; init; } = 1L << 30;

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Training, nameof(Training));
        Training.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(ImageCacheBytes, nameof(ImageCacheBytes));
        if (InitialWeights is not null && !File.Exists(InitialWeights))
        {
            throw new FileNotFoundException($"Initial weights {InitialWeights} do not exist.", InitialWeights);
        }
    }
}
