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
}
