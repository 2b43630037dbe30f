namespace MetaQap.Imaging.Pristine;

/// <summary>In-place radix-2 complex FFT, enough to synthesise the tileable 1/f textures of the dead-leaves model.</summary>
internal static class Fft
{
    /// <summary>Transforms every row, then every column, of a square power-of-two grid.</summary>
    public static void Transform2D(float[] re, float[] im, int n, bool inverse)
    {
        var rowRe = new float[n];
        var rowIm = new float[n];
        for (int pass = 0; pass < 2; pass++)
        {
            for (int line = 0; line < n; line++)
            {
                for (int k = 0; k < n; k++)
                {
                    int idx = pass == 0 ? (line * n) + k : (k * n) + line;
                    rowRe[k] = re[idx];
                    rowIm[k] = im[idx];
                }

                Transform(rowRe, rowIm, inverse);
                for (int k = 0; k < n; k++)
                {
                    int idx = pass == 0 ? (line * n) + k : (k * n) + line;
                    re[idx] = rowRe[k];
                    im[idx] = rowIm[k];
                }
            }
        }
    }

    /// <summary>Unnormalised DFT (inverse uses the conjugate kernel and is not divided by n).</summary>
    public static void Transform(Span<float> re, Span<float> im, bool inverse)
    {
        int n = re.Length;
        if (n == 0 || (n & (n - 1)) != 0 || im.Length != n)
        {
            throw new ArgumentException($"FFT length must be a power of two with matching parts, got {n} and {im.Length}.");
        }

        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }

        double sign = inverse ? 1.0 : -1.0;
        for (int len = 2; len <= n; len <<= 1)
        {
            double angle = sign * 2.0 * Math.PI / len;
            for (int start = 0; start < n; start += len)
            {
                for (int k = 0; k < len / 2; k++)
                {
                    float wr = (float)Math.Cos(angle * k), wi = (float)Math.Sin(angle * k);
                    int a = start + k, b = a + (len / 2);
                    float tr = (re[b] * wr) - (im[b] * wi);
                    float ti = (re[b] * wi) + (im[b] * wr);
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }
}
