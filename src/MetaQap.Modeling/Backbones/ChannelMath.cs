namespace MetaQap.Modeling.Backbones;

/// <summary>Channel rounding shared by the MobileNet/EfficientNet families.</summary>
internal static class ChannelMath
{
    /// <summary>
    /// torchvision's _make_divisible: round to the nearest multiple of <paramref name="divisor"/> (at least the
    /// divisor) without going more than 10% below the requested value.
    /// </summary>
    public static int MakeDivisible(double value, int divisor)
    {
        int rounded = Math.Max(divisor, (int)(value + (divisor / 2.0)) / divisor * divisor);
        return rounded < 0.9 * value ? rounded + divisor : rounded;
    }
}
