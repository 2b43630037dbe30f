using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions.Support;

/// <summary>
/// sRGB (D65) to CIE L*a*b* and back, as MATLAB's rgb2lab / lab2rgb do by default, on planar images.
/// The sRGB transfer curve and the cube root go through interpolated lookup tables: a pow or cbrt per sample
/// would cost more than the distortions that use Lab. Table error is below 1e-5 in L*, far under 8-bit steps.
/// </summary>
internal static class LabConversion
{
    private const int TableSize = 8192;

    // sRGB primaries to XYZ (IEC 61966-2-1), D65 white; the same constants scikit-image uses.
    private const float Xr = 0.412453f, Xg = 0.357580f, Xb = 0.180423f;
    private const float Yr = 0.212671f, Yg = 0.715160f, Yb = 0.072169f;
    private const float Zr = 0.019334f, Zg = 0.119193f, Zb = 0.950227f;
    private const float WhiteX = 0.95047f, WhiteZ = 1.08883f;

    private static readonly float[] s_toLinear = BuildTable(Linearize);
    private static readonly float[] s_toGamma = BuildTable(Delinearize);
    private static readonly float[] s_labF = BuildTable(LabF);
    private static readonly float[] s_xyzToRgb = InvertRgbToXyz();

    public static void ToLab(RgbImage image, Span<float> l, Span<float> a, Span<float> b)
    {
        ReadOnlySpan<float> r = image.ReadPlane(0), g = image.ReadPlane(1), bl = image.ReadPlane(2);
        for (int i = 0; i < r.Length; i++)
        {
            float lr = Lookup(s_toLinear, r[i]);
            float lg = Lookup(s_toLinear, g[i]);
            float lb = Lookup(s_toLinear, bl[i]);
            float fx = Lookup(s_labF, ((Xr * lr) + (Xg * lg) + (Xb * lb)) / WhiteX);
            float fy = Lookup(s_labF, (Yr * lr) + (Yg * lg) + (Yb * lb));
            float fz = Lookup(s_labF, ((Zr * lr) + (Zg * lg) + (Zb * lb)) / WhiteZ);
            l[i] = (116f * fy) - 16f;
            a[i] = 500f * (fx - fy);
            b[i] = 200f * (fy - fz);
        }
    }

    /// <summary>Writes the sRGB image of (L, a, b) into <paramref name="image"/>, clipped to [0, 1] (KADID's truncate).</summary>
    public static void ToRgb(ReadOnlySpan<float> l, ReadOnlySpan<float> a, ReadOnlySpan<float> b, RgbImage image) =>
        ToRgb(l, a, b, image.Plane(0), image.Plane(1), image.Plane(2));

    /// <summary>Writes the sRGB planes of (L, a, b), clipped to [0, 1].</summary>
    public static void ToRgb(ReadOnlySpan<float> l, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> r, Span<float> g, Span<float> bl)
    {
        float[] m = s_xyzToRgb;
        for (int i = 0; i < r.Length; i++)
        {
            float fy = (l[i] + 16f) / 116f;
            float fx = fy + (a[i] / 500f);
            float fz = fy - (b[i] / 200f);
            float x = InverseLabF(fx) * WhiteX;
            float y = InverseLabF(fy);
            float z = InverseLabF(fz) * WhiteZ;

            // Out-of-gamut linear values are clipped before the transfer curve; MATLAB clips after it
            // (truncate), which is the same result because the curve is monotone and maps 0->0, 1->1.
            r[i] = Lookup(s_toGamma, (m[0] * x) + (m[1] * y) + (m[2] * z));
            g[i] = Lookup(s_toGamma, (m[3] * x) + (m[4] * y) + (m[5] * z));
            bl[i] = Lookup(s_toGamma, (m[6] * x) + (m[7] * y) + (m[8] * z));
        }
    }

    /// <summary>Linear interpolation in a table over [0, 1]; the argument is clamped into that range.</summary>
    private static float Lookup(float[] table, float v)
    {
        float pos = Math.Clamp(v, 0f, 1f) * (TableSize - 1);
        int i = Math.Min((int)pos, TableSize - 2);
        float t = pos - i;
        return table[i] + (t * (table[i + 1] - table[i]));
    }

    private static float InverseLabF(float f)
    {
        const float delta = 6f / 29f;
        return f > delta ? f * f * f : 3f * delta * delta * (f - (4f / 29f));
    }

    private static double Linearize(double v) => v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);

    private static double Delinearize(double v) => v <= 0.0031308 ? v * 12.92 : (1.055 * Math.Pow(v, 1 / 2.4)) - 0.055;

    private static double LabF(double t)
    {
        const double delta = 6.0 / 29.0;
        return t > delta * delta * delta ? Math.Cbrt(t) : (t / (3 * delta * delta)) + (4.0 / 29.0);
    }

    private static float[] BuildTable(Func<double, double> f)
    {
        var table = new float[TableSize];
        for (int i = 0; i < TableSize; i++)
        {
            table[i] = (float)f((double)i / (TableSize - 1));
        }

        return table;
    }

    private static float[] InvertRgbToXyz()
    {
        double[,] m =
        {
            { Xr, Xg, Xb },
            { Yr, Yg, Yb },
            { Zr, Zg, Zb },
        };
        double det = (m[0, 0] * ((m[1, 1] * m[2, 2]) - (m[1, 2] * m[2, 1])))
            - (m[0, 1] * ((m[1, 0] * m[2, 2]) - (m[1, 2] * m[2, 0])))
            + (m[0, 2] * ((m[1, 0] * m[2, 1]) - (m[1, 1] * m[2, 0])));
        var inv = new float[9];
        for (int row = 0; row < 3; row++)
        {
            for (int col = 0; col < 3; col++)
            {
                // Cofactor of the transposed position gives the adjugate.
                int r0 = (col + 1) % 3, r1 = (col + 2) % 3, c0 = (row + 1) % 3, c1 = (row + 2) % 3;
                inv[(row * 3) + col] = (float)(((m[r0, c0] * m[r1, c1]) - (m[r0, c1] * m[r1, c0])) / det);
            }
        }

        return inv;
    }
}
