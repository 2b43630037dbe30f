using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// Creates backbones by torchvision name. Every module returned also implements <see cref="IBackbone"/> and has
/// torchvision 0.14's state-dict keys, so weights exported from PyTorch load with
/// <see cref="Weights.StateDictLoading.LoadStateDictStrict"/>. Weights are randomly initialised as torchvision does;
/// nothing is downloaded.
/// </summary>
public static class BackboneFactory
{
    /// <summary>
    /// Small enough to train on two CPU cores (the other architectures are meant for a GPU): mobilenet_v3_small
    /// (torchvision's, ≈2.5 M parameters) and resnet10_w32 (ours: a half-width ResNet with one BasicBlock per stage,
    /// ≈1.2 M parameters, torchvision-style keys; see <see cref="ResNet"/>).
    /// </summary>
    public static IReadOnlyList<string> CpuArchitectures { get; } = ["mobilenet_v3_small", "resnet10_w32"];

    // In the order users see them: the large torchvision models first, then the two CPU-sized ones.
    private static readonly (string Name, Func<int, Module<Tensor, Tensor>> Create)[] Factories =
    [
        ("resnet18", n => ResNet.resnet18(n)),
        ("resnet50", n => ResNet.resnet50(n)),
        ("densenet121", n => DenseNet.densenet121(n)),
        ("densenet201", n => DenseNet.densenet201(n)),
        ("efficientnet_b0", n => EfficientNet.efficientnet_b0(n)),
        ("mobilenet_v3_large", n => MobileNetV3.mobilenet_v3_large(n)),
        ("inception_v3", n => Inception3.inception_v3(n)),
        ("mobilenet_v3_small", n => MobileNetV3.mobilenet_v3_small(n)),
        ("resnet10_w32", n => ResNet.resnet10_w32(n)),
        // ImageNet-trained weights come from a NuGet package (ImageNet.ImageNetPackage); no classifier, so no n.
        ("resnet18_cntk", _ => ResNetCntk.resnet18_cntk()),
        ("resnet18_cntk_ms", _ => ResNetCntk.resnet18_cntk_ms()),
        ("resnet18_cntk_blocks", _ => ResNetCntk.resnet18_cntk_blocks()),
    ];

    public static IReadOnlyList<string> Architectures { get; } = [.. Factories.Select(f => f.Name)];

    /// <summary>The architectures with torchvision counterparts (keys, classifier, parity); not the resnet18_cntk variants.</summary>
    public static IReadOnlyList<string> TorchvisionArchitectures { get; } = [.. Architectures.Where(a => !a.StartsWith("resnet18_cntk", StringComparison.Ordinal))];

    /// <summary>Builds <paramref name="architecture"/> (inception_v3 with its auxiliary classifier, as torchvision).</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Architectures"/>.</exception>
    public static Module<Tensor, Tensor> Create(string architecture, int numClasses = 1000)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        foreach (var (name, create) in Factories)
        {
            if (name == architecture)
            {
                return create(numClasses);
            }
        }

        throw new ArgumentException($"Unknown backbone '{architecture}'. Known: {string.Join(", ", Architectures)}.", nameof(architecture));
    }

    /// <summary><see cref="Create"/> viewed through both of its faces.</summary>
    public static IBackbone CreateBackbone(string architecture, int numClasses = 1000) =>
        (IBackbone)Create(architecture, numClasses);
}
