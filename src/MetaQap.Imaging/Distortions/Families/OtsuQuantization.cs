using MetaQap.Imaging.Distortions.Support;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions.Families;

/// <summary>
/// KADID 22, imnoisequantize: thresholds from multithresh over all three channels together, then imquantize
/// with the values [0, t2, ..., tN, 1]: a sample at or below t1 becomes 0, one in (t(k-1), tk] becomes tk and
/// one above the last threshold becomes 1.
/// </summary>
internal static class OtsuQuantization
{
    // Samples are in [0, 1] here; most table cells hold no threshold and so map every sample in them alike.
    private const int Cells = 4096;

    public static RgbImage Apply(RgbImage image, int thresholdCount)
    {
        float[] thresholds = MultiLevelOtsu.Thresholds(image.Data, thresholdCount);
        Span<float> cellValue = stackalloc float[Cells];
        for (int c = 0; c < Cells; c++)
        {
            float low = Quantize((float)c / Cells, thresholds), high = Quantize(MathF.BitDecrement((float)(c + 1) / Cells), thresholds);
            cellValue[c] = low == high ? low : float.NaN; // NaN: a threshold splits the cell, decide per sample
        }

        Span<float> data = image.Data;
        for (int i = 0; i < data.Length; i++)
        {
            float v = data[i];
            float fast = cellValue[Math.Clamp((int)(v * Cells), 0, Cells - 1)];
            data[i] = float.IsNaN(fast) || v < 0f || v > 1f ? Quantize(v, thresholds) : fast;
        }

        return image;
    }

    private static float Quantize(float v, float[] thresholds)
    {
        if (v <= thresholds[0])
        {
            return 0f;
        }

        int lo = 1, hi = thresholds.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (v <= thresholds[mid])
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo == thresholds.Length ? 1f : thresholds[lo];
    }
}
