using System.Text.Json.Serialization;
using MetaQap.Modeling.Loss;

namespace MetaQap.Modeling.Training;

/// <summary>
/// Options shared by both training stages. Defaults suit a CPU-sized fine-tune of <c>resnet10_w32</c>; every value
/// is checked by <see cref="Validate"/> before a run starts.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Backbone name (see <c>BackboneFactory.Architectures</c>).</summary>
    public string Architecture { get; init; } = "resnet10_w32";

    /// <summary>Maximum number of epochs; early stopping may end the run sooner.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Images per optimisation step (at least 2: the SROCC term needs a ranking).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Peak learning rate of AdamW, reached at the end of the warm-up.</summary>
    public double LearningRate { get; init; } = 3e-4;

    /// <summary>AdamW's decoupled weight decay (PyTorch's default 0.01).</summary>
    public double WeightDecay { get; init; } = 0.01;

    public double Beta1 { get; init; } = 0.9;

    public double Beta2 { get; init; } = 0.999;

    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Fraction of all steps spent warming the learning rate up linearly from 0 before the cosine decay.</summary>
    public double WarmupFraction { get; init; } = 0.05;

    /// <summary>The cosine decays to this fraction of <see cref="LearningRate"/> at the last step.</summary>
    public double MinLearningRateFactor { get; init; } = 0.01;

    /// <summary>Epochs without a better validation SROCC before stopping; 0 never stops early.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>Seed of the weight initialisation, the shuffles, the augmentations and dropout.</summary>
    /// <remarks>
    /// Reproducibility: every random choice is derived from (seed, epoch, sample), so the same options give the same
    /// batches in the same order, and a run resumed from a checkpoint continues exactly. On CPU the weights are then
    /// bit-identical for the same libtorch build, machine and <see cref="Threads"/> (the tests check this with 2
    /// threads); a different thread count or CPU instruction set changes the order of float reductions, so results
    /// then agree only to rounding (and drift apart over many steps). Initialisation and dropout draw from torch's
    /// process-wide generator and the thread count is process-wide: other torch work in the same process during a
    /// run breaks bit-reproducibility.
    /// </remarks>
    public int Seed { get; init; }

    /// <summary>torch.set_num_threads for the run; 0 leaves libtorch's setting alone.</summary>
    public int Threads { get; init; }

    /// <summary>Square input side; null takes the architecture's own (224, or 299 for Inception-v3).</summary>
    public int? InputSize { get; init; }

    /// <summary>Caps the optimisation steps per epoch (CPU-sized runs on a large corpus); null: the whole training set.</summary>
    public int? MaxStepsPerEpoch { get; init; }

    /// <summary>Caps the validation images per epoch (a fixed, seeded subset); null: all of them.</summary>
    public int? MaxValidationSamples { get; init; }

    /// <summary>
    /// Gradients are clipped to this global L2 norm: the SROCC term's gradient grows as the predictions' spread
    /// collapses, and one such step can wreck a network. 0 disables clipping.
    /// </summary>
    public double GradientClipNorm { get; init; } = 1.0;

    /// <summary>Dropout before the heads.</summary>
    public double DropoutRate { get; init; } = 0.2;

    /// <summary>The quality-aware loss: λ1 (MSE), λ2 (1 − SROCC̃) and the soft-rank temperature.</summary>
    public QualityAwareLossOptions Loss { get; init; } = new();

    /// <summary>Batches prepared ahead of the one being trained on (bounded, so memory stays bounded).</summary>
    public int PrefetchBatches { get; init; } = 2;

    /// <summary>Horizontal flips with probability 1/2 during training (quality-preserving).</summary>
    public bool FlipHorizontal { get; init; } = true;

    /// <summary>
    /// Keep the last epoch's weights instead of the best-validation epoch's: a final fit on all items for a
    /// number of epochs chosen by cross-validation has no held-out data, so its validation (in-sample) must not
    /// pick the weights. Left out of the JSON while false, so runs made before it existed still resume.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool KeepLastEpoch { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Architecture))
        {
            throw new ArgumentException("Architecture is required.", nameof(Architecture));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Epochs, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 2, nameof(BatchSize));
        RequireInRange(LearningRate, 0, 1, nameof(LearningRate), allowLow: false);
        RequireInRange(WeightDecay, 0, 1, nameof(WeightDecay), allowLow: true);
        RequireInRange(Beta1, 0, 1, nameof(Beta1), allowLow: true);
        RequireInRange(Beta2, 0, 1, nameof(Beta2), allowLow: true);
        RequireInRange(Epsilon, 0, 1, nameof(Epsilon), allowLow: false);
        RequireInRange(WarmupFraction, 0, 1, nameof(WarmupFraction), allowLow: true);
        RequireInRange(MinLearningRateFactor, 0, 1, nameof(MinLearningRateFactor), allowLow: true);
        ArgumentOutOfRangeException.ThrowIfNegative(Patience, nameof(Patience));
        ArgumentOutOfRangeException.ThrowIfNegative(Threads, nameof(Threads));
        if (InputSize is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(size, 32, nameof(InputSize));
        }

        if (MaxStepsPerEpoch is { } steps)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps, nameof(MaxStepsPerEpoch));
        }

        if (MaxValidationSamples is { } samples)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(samples, 2, nameof(MaxValidationSamples));
        }

        if (!double.IsFinite(GradientClipNorm) || GradientClipNorm < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), GradientClipNorm, "GradientClipNorm must be finite and >= 0.");
        }

        if (!(DropoutRate is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(DropoutRate), DropoutRate, "DropoutRate must be in [0, 1).");
        }

        ArgumentNullException.ThrowIfNull(Loss, nameof(Loss));
        _ = new QualityAwareLoss(Loss);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(PrefetchBatches, nameof(PrefetchBatches));
    }

    private static void RequireInRange(double value, double low, double high, string name, bool allowLow)
    {
        bool aboveLow = allowLow ? value >= low : value > low;
        if (!double.IsFinite(value) || !aboveLow || value >= high)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in {(allowLow ? "[" : "(")}{low}, {high}).");
        }
    }
}
