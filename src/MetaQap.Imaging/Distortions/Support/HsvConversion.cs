namespace MetaQap.Imaging.Distortions.Support;

/// <summary>Per-pixel HSV conversion with MATLAB's rgb2hsv / hsv2rgb conventions (hue in [0, 1)).</summary>
internal static class HsvConversion
{
    public static void ToHsv(float r, float g, float b, out float h, out float s, out float v)
    {
        v = Math.Max(Math.Max(r, g), b);
        float delta = v - Math.Min(Math.Min(r, g), b);
        if (delta == 0)
        {
            h = 0;
            s = 0;
            return;
        }

        // Same precedence as MATLAB: a blue maximum wins over green, green over red.
        if (b == v)
        {
            h = 4 + ((r - g) / delta);
        }
        else if (g == v)
        {
            h = 2 + ((b - r) / delta);
        }
        else
        {
            h = (g - b) / delta;
        }

        h /= 6;
        if (h < 0)
        {
            h += 1;
        }

        s = v == 0 ? 0 : delta / v;
    }

    /// <summary>
    /// hsv2rgb before the value scaling: the channel weights for hue <paramref name="h"/> and saturation
    /// <paramref name="s"/>. MATLAB then multiplies by v / max(weights over the whole image), which differs from
    /// v only when s leaves [0, 1] (KADID's negative saturation factor), so the caller does that scaling.
    /// </summary>
    public static void Weights(float h, float s, out float r, out float g, out float b)
    {
        float h6 = 6 * h;
        int sector = (int)MathF.Floor(h6);
        float f = h6 - sector;
        float t = 1 - s;
        float n = 1 - (s * f);
        float p = 1 - (s * (1 - f));
        (r, g, b) = sector switch
        {
            1 => (n, 1f, t),
            2 => (t, 1f, p),
            3 => (t, n, 1f),
            4 => (p, t, 1f),
            5 => (1f, t, n),
            _ => (1f, p, t),
        };
    }
}
