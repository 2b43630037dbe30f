using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MetaQap.Imaging.Distortions.Support;

/// <summary>
/// Keys cubic convolution (a = -0.5, MATLAB's 'bicubic') with replicated borders on interleaved RGBX pixels:
/// one 128-bit load and multiply-add per tap serves all three channels, a third of the planar cost.
/// </summary>
internal static class Bicubic
{
    /// <summary>Writes the pixel of <paramref name="source"/> (RGBX, width x height) at (x, y) to destination[4 * index].</summary>
    public static void Sample(float[] source, int width, int height, float x, float y, float[] destination, int index)
    {
        int x0 = (int)MathF.Floor(x), y0 = (int)MathF.Floor(y);
        Weights(x - x0, out float wx0, out float wx1, out float wx2, out float wx3);
        Weights(y - y0, out float wy0, out float wy1, out float wy2, out float wy3);
        nuint c0 = Column(x0 - 1, width), c1 = Column(x0, width), c2 = Column(x0 + 1, width), c3 = Column(x0 + 2, width);
        ref float origin = ref MemoryMarshal.GetArrayDataReference(source);
        Vector128<float> result =
            (Row(ref origin, Row(y0 - 1, width, height), c0, c1, c2, c3, wx0, wx1, wx2, wx3) * wy0)
            + (Row(ref origin, Row(y0, width, height), c0, c1, c2, c3, wx0, wx1, wx2, wx3) * wy1)
            + (Row(ref origin, Row(y0 + 1, width, height), c0, c1, c2, c3, wx0, wx1, wx2, wx3) * wy2)
            + (Row(ref origin, Row(y0 + 2, width, height), c0, c1, c2, c3, wx0, wx1, wx2, wx3) * wy3);
        result.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(destination), (nuint)(4 * index));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Row(ref float origin, nuint row, nuint c0, nuint c1, nuint c2, nuint c3, float w0, float w1, float w2, float w3) =>
        (Vector128.LoadUnsafe(ref origin, row + c0) * w0) + (Vector128.LoadUnsafe(ref origin, row + c1) * w1)
        + (Vector128.LoadUnsafe(ref origin, row + c2) * w2) + (Vector128.LoadUnsafe(ref origin, row + c3) * w3);

    /// <summary>Float offset of a clamped column within a row.</summary>
    private static nuint Column(int x, int width) => (nuint)(4 * Math.Clamp(x, 0, width - 1));

    /// <summary>Float offset of a clamped row.</summary>
    private static nuint Row(int y, int width, int height) => (nuint)(4 * width * Math.Clamp(y, 0, height - 1));

    /// <summary>Kernel weights for the four taps at offsets -1, 0, 1, 2 of a fractional position t in [0, 1).</summary>
    private static void Weights(float t, out float w0, out float w1, out float w2, out float w3)
    {
        float t2 = t * t, t3 = t2 * t;
        w0 = (-0.5f * t3) + t2 - (0.5f * t);
        w1 = (1.5f * t3) - (2.5f * t2) + 1f;
        w2 = (-1.5f * t3) + (2f * t2) + (0.5f * t);
        w3 = (0.5f * t3) - (0.5f * t2);
    }
}
