using MetaQap.Modeling.Artifacts;

namespace MetaQap.Modeling.Ensembles;

/// <summary>A trained base model to put into an ensemble: its safetensors weights file and how to run it.</summary>
/// <param name="Name">Name in the ensemble (letters, digits, '.', '_', '-'); the meta-learner refers to it.</param>
/// <param name="WeightsFile">Path of the <c>model.safetensors</c> with the whole QualityModel state dict.</param>
/// <param name="Architecture">Backbone factory name, e.g. "resnet10_w32".</param>
/// <param name="InputSize">Side of the square input the model was trained at.</param>
public sealed record BaseModelSource(string Name, string WeightsFile, string Architecture, int InputSize)
{
    /// <summary>
    /// Shorter side images are scaled down to before the centre crop (<see cref="BaseModelEntry.ViewSide"/>); the
    /// default suits models trained on native-resolution crops of ~512-px images (the corpus, BIQ2021, KADID-10k).
    /// </summary>
    public int? ViewSide { get; init; } = DefaultViewSide;

    /// <summary>The view side of models trained by this project's pretraining and fine-tuning on ~512-px images.</summary>
    public const int DefaultViewSide = 512;

    /// <summary>Per-channel mean of the input normalisation (default: what the trainer uses for the architecture).</summary>
    public IReadOnlyList<double> NormalizationMean { get; init; } = Features.ImageNetNormalization.MeanFor(Architecture);

    /// <summary>Per-channel standard deviation of the input normalisation (default: the trainer's for the architecture).</summary>
    public IReadOnlyList<double> NormalizationStd { get; init; } = Features.ImageNetNormalization.StdFor(Architecture);

    /// <summary>Raw output to 0–100; the default fits a model trained on targets in [0, 1].</summary>
    public OutputScale OutputScale { get; init; } = new() { Scale = 100, Offset = 0 };

    /// <summary>Hidden units of an MLP quality head; null: a linear head.</summary>
    public int? QualityHeadHidden { get; init; }

    /// <summary>Whether the distortion head was trained (pretraining on the corpus) and should give hints.</summary>
    public bool HasDistortionHead { get; init; } = true;
}
