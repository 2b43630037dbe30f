
namespace MetaQap.Imaging.Pixels;

/// <summary>
/// In-place colour conversions on the three planes of an <see cref="RgbImage"/>: sRGB ↔ CIELAB (D65; L* in
/// [0,100]), RGB ↔ HSV (all in [0,1]) and RGB ↔ YCbCr (BT.601 full range, chroma centred on 0.5).
/// </summary>
internal static class ColorSpaces
{
    private const double Xn = 0.95047, Yn = 1.0, Zn = 1.08883;

    public static void RgbToLab(RgbImage image)
    {
        Span<float> p0 = image.Plane(0), p1 = image.Plane(1), p2 = image.Plane(2);
        for (int i = 0; i < p0.Length; i++)
        {
            double r = ToLinear(p0[i]), g = ToLinear(p1[i]), b = ToLinear(p2[i]);
            double x = ((0.4124564 * r) + (0.3575761 * g) + (0.1804375 * b)) / Xn;
            double y = ((0.2126729 * r) + (0.7151522 * g) + (0.0721750 * b)) / Yn;
            double z = ((0.0193339 * r) + (0.1191920 * g) + (0.9503041 * b)) / Zn;
            double fx = F(x), fy = F(y), fz = F(z);
            p0[i] = (float)((116 * fy) - 16);
            p1[i] = (float)(500 * (fx - fy));
            p2[i] = (float)(200 * (fy - fz));
        }
    }

    public static void LabToRgb(RgbImage image)
    {
        Span<float> p0 = image.Plane(0), p1 = image.Plane(1), p2 = image.Plane(2);
        for (int i = 0; i < p0.Length; i++)
        {
            double fy = (p0[i] + 16) / 116.0;
            double fx = fy + (p1[i] / 500.0);
            double fz = fy - (p2[i] / 200.0);
            double x = FInverse(fx) * Xn, y = FInverse(fy) * Yn, z = FInverse(fz) * Zn;
            double r = (3.2404542 * x) - (1.5371385 * y) - (0.4985314 * z);
            double g = (-0.9692660 * x) + (1.8760108 * y) + (0.0415560 * z);
            double b = (0.0556434 * x) - (0.2040259 * y) + (1.0572252 * z);
            p0[i] = (float)ToGamma(r);
            p1[i] = (float)ToGamma(g);
            p2[i] = (float)ToGamma(b);
        }
    }

    public static void RgbToHsv(RgbImage image)
    {
        Span<float> p0 = image.Plane(0), p1 = image.Plane(1), p2 = image.Plane(2);
        for (int i = 0; i < p0.Length; i++)
        {
            float r = p0[i], g = p1[i], b = p2[i];
            float max = MathF.Max(r, MathF.Max(g, b)), min = MathF.Min(r, MathF.Min(g, b));
            float delta = max - min;
            float h = 0;
            if (delta > 0)
            {
                h = max == r ? ((g - b) / delta) % 6f : max == g ? ((b - r) / delta) + 2f : ((r - g) / delta) + 4f;
                h /= 6f;
                if (h < 0)
                {
                    h += 1f;
                }
            }

            p0[i] = h;
            p1[i] = max > 0 ? delta / max : 0;
            p2[i] = max;
        }
    }

    /// <summary>HSV → RGB as MATLAB's hsv2rgb: saturation outside [0,1] extrapolates rather than clamps.</summary>
    public static void HsvToRgb(RgbImage image)
    {
        Span<float> p0 = image.Plane(0), p1 = image.Plane(1), p2 = image.Plane(2);
        for (int i = 0; i < p0.Length; i++)
        {
            float h = p0[i] * 6f, s = p1[i], v = p2[i];
            int sector = (int)MathF.Floor(h) % 6;
            float f = h - MathF.Floor(h);
            float p = v * (1 - s), q = v * (1 - (s * f)), t = v * (1 - (s * (1 - f)));
            (p0[i], p1[i], p2[i]) = sector switch
            {
                0 => (v, t, p),
                1 => (q, v, p),
                2 => (p, v, t),
                3 => (p, q, v),
                4 => (t, p, v),
                _ => (v, p, q),
            };
        }
    }

    public static void RgbToYCbCr(RgbImage image)
    {
        Span<float> p0 = image.Plane(0), p1 = image.Plane(1), p2 = image.Plane(2);
        for (int i = 0; i < p0.Length; i++)
        {
            float r = p0[i], g = p1[i], b = p2[i];
            p0[i] = (0.299f * r) + (0.587f * g) + (0.114f * b);
            p1[i] = 0.5f + (-0.168736f * r) - (0.331264f * g) + (0.5f * b);
            p2[i] = 0.5f + (0.5f * r) - (0.418688f * g) - (0.081312f * b);
        }
    }

    public static void YCbCrToRgb(RgbImage image)
    {
        Span<float> p0 = image.Plane(0), p1 = image.Plane(1), p2 = image.Plane(2);
        for (int i = 0; i < p0.Length; i++)
        {
            float y = p0[i], cb = p1[i] - 0.5f, cr = p2[i] - 0.5f;
            p0[i] = y + (1.402f * cr);
            p1[i] = y - (0.344136f * cb) - (0.714136f * cr);
            p2[i] = y + (1.772f * cb);
        }
    }

    // The sRGB transfer curves are smooth on [0, 1]: 4097-entry tables with linear interpolation are accurate to
    // ~1e-6 and spare two Math.Pow per channel per pixel.
    private const int TableSize = 4096;
    private static readonly double[] LinearTable = Tabulate(c => c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4));
    private static readonly double[] GammaTable = Tabulate(c => c <= 0.0031308 ? 12.92 * c : (1.055 * Math.Pow(c, 1 / 2.4)) - 0.055);

    private static double ToLinear(double c) => Lookup(LinearTable, c);

    private static double ToGamma(double c) => Lookup(GammaTable, c);

    private static double[] Tabulate(Func<double, double> curve)
    {
        var table = new double[TableSize + 1];
        for (int i = 0; i <= TableSize; i++)
        {
            table[i] = curve((double)i / TableSize);
        }

        return table;
    }

    private static double Lookup(double[] table, double c)
    {
        double x = Math.Clamp(c, 0, 1) * TableSize;
        int i = Math.Min((int)x, TableSize - 1);
        double f = x - i;
        return table[i] + ((table[i + 1] - table[i]) * f);
    }

    private static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : ((24389.0 / 27 * t) + 16) / 116;

    private static double FInverse(double t) => t > 6.0 / 29 ? t * t * t : ((116 * t) - 16) * 27 / 24389;
}
