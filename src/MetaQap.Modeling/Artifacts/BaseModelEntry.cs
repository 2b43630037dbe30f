namespace MetaQap.Modeling.Artifacts;

/// <summary>One base CNN of an ensemble: its architecture, preprocessing, weights file and output mapping.</summary>
public sealed record BaseModelEntry
{
    /// <summary>Unique name within the ensemble, used by the meta-learner's predictors; letters, digits, '.', '_', '-'.</summary>
    public required string Name { get; init; }

    /// <summary>Backbone factory name as in torchvision, e.g. "resnet18".</summary>
    public required string Architecture { get; init; }

    /// <summary>Side in pixels of the square input the model is fed.</summary>
    public required int InputSize { get; init; }

    /// <summary>
    /// The scale the model was trained at: images whose shorter side is longer than this are scaled down to it, then
    /// the centre <see cref="InputSize"/>² crop is taken at that scale (training crops at native resolution, so blur
    /// and noise must not be hidden by a larger downscale at scoring time). Null (older manifests): the shorter side
    /// is scaled to <see cref="InputSize"/>, i.e. the model sees the whole height or width of the picture.
    /// </summary>
    public int? ViewSide { get; init; }

    /// <summary>Hidden units of the quality head (an MLP on the backbone features); null or absent: a linear head.</summary>
    public int? QualityHeadHidden { get; init; }

    /// <summary>Per-channel (R, G, B) mean subtracted from [0, 1] pixels; exactly 3 values.</summary>
    public required IReadOnlyList<double> NormalizationMean { get; init; }

    /// <summary>Per-channel (R, G, B) standard deviation the pixels are divided by; exactly 3 positive values.</summary>
    public required IReadOnlyList<double> NormalizationStd { get; init; }

    /// <summary>Weights file, relative to the ensemble folder with '/' separators; may not leave the folder.</summary>
    public required string WeightsFile { get; init; }

    /// <summary>SHA-256 of the weights file, 64 lowercase hex digits; verified on every load.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Class names of the distortion head in output order (the 25 KADID-10k types); empty without a head.</summary>
    public required IReadOnlyList<string> DistortionLabels { get; init; }

    /// <summary>Maps the raw quality-head output to the 0–100 score.</summary>
    public required OutputScale OutputScale { get; init; }
}
