using static TorchSharp.torch;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// A torchvision-compatible image backbone seen from a quality head: the pooled feature vector that its ImageNet
/// classifier would consume.
/// </summary>
public interface IBackbone
{
    /// <summary>The factory name, e.g. "resnet50" (see <see cref="BackboneFactory.Architectures"/>).</summary>
    string Architecture { get; }

    /// <summary>Length C of the vector <see cref="ForwardFeatures"/> returns.</summary>
    int FeatureCount { get; }

    /// <summary>Square input side the architecture was designed for: 224, or 299 for Inception-v3.</summary>
    int DefaultInputSize { get; }

    /// <summary>Normalised images [N, 3, H, W] to globally average-pooled features [N, C].</summary>
    Tensor ForwardFeatures(Tensor images);
}
