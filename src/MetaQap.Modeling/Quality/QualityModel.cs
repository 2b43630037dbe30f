using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Quality;

/// <summary>
/// A MetaQAP base model: a torchvision-compatible backbone with two heads on its pooled features — one quality
/// score (trained on pseudo-quality or MOS scaled to [0, 1]) and 25 distortion-type logits (trained during
/// quality-aware pretraining; at scoring time they give the per-image distortion hints). State-dict keys are the
/// backbone's under <c>backbone.</c> (so torchvision weights load into it), then <c>quality_head.*</c> and
/// <c>distortion_head.*</c>. The quality head is one linear layer, or with <c>qualityHidden</c> &gt; 0 a small MLP
/// (<c>quality_head.0</c> linear to that many units, ReLU, dropout, <c>quality_head.3</c> linear to one): the
/// non-linear head that frozen-trunk base models train with the quality-aware loss.
/// </summary>
public sealed class QualityModel : Module<Tensor, QualityOutput>
{
    public const int DistortionClasses = 25;

    private readonly Module<Tensor, Tensor> backbone;
    private readonly Dropout dropout;
    private readonly Module<Tensor, Tensor> quality_head;
    private readonly Linear distortion_head;
    private bool _preparedForInference;

    public QualityModel(string architecture, double dropoutRate = 0.2, int qualityHidden = 0, double hiddenDropoutRate = 0.3)
        : base(nameof(QualityModel))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(qualityHidden);
        backbone = BackboneFactory.Create(architecture);
        var features = (IBackbone)backbone;
        Architecture = architecture;
        InputSize = features.DefaultInputSize;
        QualityHidden = qualityHidden;
        dropout = Dropout(dropoutRate);
        quality_head = qualityHidden == 0
            ? Linear(features.FeatureCount, 1)
            : Sequential(Linear(features.FeatureCount, qualityHidden), ReLU(), Dropout(hiddenDropoutRate), Linear(qualityHidden, 1));
        distortion_head = Linear(features.FeatureCount, DistortionClasses);
        RegisterComponents();
    }

    public string Architecture { get; }

    /// <summary>Hidden units of the quality head; 0 for a linear head.</summary>
    public int QualityHidden { get; }

    /// <summary>The quality head alone, to train it on cached backbone features.</summary>
    public Module<Tensor, Tensor> QualityHead => quality_head;

    /// <summary>Square input side the backbone was designed for (224, or 299 for Inception-v3).</summary>
    public int InputSize { get; }

    /// <summary>The backbone as a module, e.g. to load ImageNet weights into it.</summary>
    public Module<Tensor, Tensor> Backbone => backbone;

    /// <summary>True once <see cref="PrepareForInference"/> has run: the model can no longer be trained.</summary>
    public bool IsPreparedForInference => _preparedForInference;

    /// <summary>
    /// Readies the model for scoring: merges every BatchNorm that directly follows a convolution into that
    /// convolution (ResNet, MobileNetV3 and EfficientNet blocks; others are left as they are) and re-stores the
    /// convolution weights channels-last (<see cref="InferencePreparation"/>). Same outputs up to float rounding, fewer
    /// passes over the activations and no per-layer layout reorders. The model must be in eval mode and cannot be put
    /// back into training mode after. Idempotent. Its state dict then holds the folded parameters: save weights
    /// before, not after.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is in training mode.</exception>
    public void PrepareForInference()
    {
        InferencePreparation.Apply(this);
        _preparedForInference = true;
    }

    /// <summary>
    /// Sets the quality head to a fitted linear map of the backbone features (a ridge head on a frozen trunk) and
    /// zeroes the distortion head, which such a model does not train (its manifest lists no distortion labels).
    /// </summary>
    public void SetLinearQualityHead(IReadOnlyList<double> weights, double bias)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (quality_head is not Linear linear)
        {
            throw new InvalidOperationException("This model's quality head is an MLP, not a linear map.");
        }

        if (weights.Count != linear.weight!.shape[1])
        {
            throw new ArgumentException($"{weights.Count} weights for a quality head of {linear.weight.shape[1]} features.", nameof(weights));
        }

        using var noGrad = no_grad();
        using Tensor w = tensor(weights.Select(v => (float)v).ToArray(), [1, weights.Count]);
        linear.weight.copy_(w);
        linear.bias!.FillInPlace((float)bias);
        ZeroDistortionHead();
    }

    /// <summary>Zeroes the distortion head, for base models that do not train it (their manifest lists no labels).</summary>
    public void ZeroDistortionHead()
    {
        using var noGrad = no_grad();
        distortion_head.weight!.zero_();
        distortion_head.bias!.zero_();
    }

    public override void train(bool on = true)
    {
        if (on && _preparedForInference)
        {
            throw new InvalidOperationException("This model was prepared for inference (BatchNorms folded); it cannot be trained.");
        }

        base.train(on);
    }

    public override QualityOutput forward(Tensor input)
    {
        using Tensor pooled = ((IBackbone)backbone).ForwardFeatures(input);
        return Heads(pooled);
    }

    /// <summary>
    /// The heads on backbone features computed elsewhere: the ensemble runs a frozen trunk that several base models
    /// share once per batch and gives each its own features (<see cref="Backbones.ResNetCntk.FeaturesOf"/>).
    /// </summary>
    public QualityOutput Heads(Tensor backboneFeatures)
    {
        ArgumentNullException.ThrowIfNull(backboneFeatures);
        using Tensor features = dropout.forward(backboneFeatures);
        using Tensor quality = quality_head.forward(features);
        return new QualityOutput(quality.squeeze(-1), distortion_head.forward(features));
    }
}

/// <summary>Per-image quality in [0, 1]-scale units ([N]) and distortion-type logits ([N, 25]).</summary>
public readonly record struct QualityOutput(Tensor Quality, Tensor DistortionLogits);
