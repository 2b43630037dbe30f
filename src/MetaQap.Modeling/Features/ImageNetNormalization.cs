using MetaQap.Imaging.Preprocessing;
using MetaQap.Modeling.Backbones;

namespace MetaQap.Modeling.Features;

/// <summary>
/// The input resnet18_cntk's ImageNet weights expect, as a manifest normalisation on [0, 1] RGB pixels: (p − μ/255)
/// / (1/255) = 255·p − μ, μ the package's per-channel mean (<see cref="ResNetCntk.MeanRgb255"/>).
/// </summary>
public static class ImageNetNormalization
{
    public static IReadOnlyList<double> Mean { get; } = [.. ResNetCntk.MeanRgb255.Select(m => m / 255.0)];

    public static IReadOnlyList<double> Std { get; } = [1 / 255.0, 1 / 255.0, 1 / 255.0];

    public static ChannelNormalization Channel { get; } = new(
        [.. Mean.Select(m => (float)m)], [.. Std.Select(s => (float)s)]);

    /// <summary>torchvision's ImageNet statistics, which every other backbone of the project is trained with.</summary>
    public static IReadOnlyList<double> TorchvisionMean { get; } = [0.485, 0.456, 0.406];

    public static IReadOnlyList<double> TorchvisionStd { get; } = [0.229, 0.224, 0.225];

    /// <summary>Whether <paramref name="architecture"/> is a resnet18_cntk variant (CNTK's input convention).</summary>
    public static bool IsCntk(string architecture) => architecture.StartsWith("resnet18_cntk", StringComparison.Ordinal);

    /// <summary>The input normalisation a backbone is trained and scored with.</summary>
    public static ChannelNormalization For(string architecture) => IsCntk(architecture) ? Channel : ChannelNormalization.ImageNet;

    public static IReadOnlyList<double> MeanFor(string architecture) => IsCntk(architecture) ? Mean : TorchvisionMean;

    public static IReadOnlyList<double> StdFor(string architecture) => IsCntk(architecture) ? Std : TorchvisionStd;
}
