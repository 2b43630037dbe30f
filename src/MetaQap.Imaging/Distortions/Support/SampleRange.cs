using System.Numerics;
using System.Runtime.InteropServices;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions.Support;

/// <summary>
/// KADID's mapmm around every distortion: the generator stretches its input to [0, 1] and stretches the result
/// again, which is what turns an out-of-range operation (mean shift with clipping, negative saturation) into the
/// image KADID shows. This keeps both stretches but maps the result onto the source's own [min, max].
/// </summary>
internal readonly struct SampleRange
{
    private readonly float _min;
    private readonly float _max;

    private SampleRange(float min, float max)
    {
        _min = min;
        _max = max;
    }

    /// <summary>A constant image has no range to normalise; it is then distorted as it is and only clamped.</summary>
    private bool IsFlat => !(_max > _min);

    public static SampleRange Of(RgbImage image)
    {
        (float min, float max) = MinMax(image.Data);
        return new SampleRange(Math.Clamp(min, 0f, 1f), Math.Clamp(max, 0f, 1f));
    }

    /// <summary>A new image: the source clamped to [0, 1] and stretched so its samples span exactly [0, 1].</summary>
    public RgbImage Normalize(RgbImage source)
    {
        var work = new RgbImage(source.Width, source.Height);
        float scale = IsFlat ? 1f : 1f / (_max - _min);
        float offset = IsFlat ? 0f : _min;
        Transform(source.Data, work.Data, scale, -offset * scale);
        return work;
    }

    /// <summary>Stretches the result to span [0, 1], maps it onto the source range and clamps, in place.</summary>
    public void Restore(RgbImage result)
    {
        (float min, float max) = MinMax(result.Data);
        bool stretch = !IsFlat && max > min;
        float scale = stretch ? (_max - _min) / (max - min) : 1f;
        float shift = stretch ? _min - (min * scale) : 0f;
        Transform(result.Data, result.Data, scale, shift);
    }

    /// <summary>to = clamp(from * scale + shift) with NaN mapped to 0 (comparisons with NaN are false).</summary>
    private static void Transform(ReadOnlySpan<float> from, Span<float> to, float scale, float shift)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<float>> vf = MemoryMarshal.Cast<float, Vector<float>>(from);
            Span<Vector<float>> vt = MemoryMarshal.Cast<float, Vector<float>>(to);
            var vs = new Vector<float>(scale);
            var vo = new Vector<float>(shift);
            for (int v = 0; v < vt.Length; v++)
            {
                Vector<float> x = (vf[v] * vs) + vo;
                x = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<float>.Zero), x, Vector<float>.Zero);
                vt[v] = Vector.Min(x, Vector<float>.One);
            }

            i = vt.Length * Vector<float>.Count;
        }

        for (; i < to.Length; i++)
        {
            float x = (from[i] * scale) + shift;
            to[i] = x >= 0f ? (x <= 1f ? x : 1f) : 0f;
        }
    }

    /// <summary>Minimum and maximum, NaN ignored.</summary>
    private static (float Min, float Max) MinMax(ReadOnlySpan<float> data)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in data)
        {
            min = v < min ? v : min;
            max = v > max ? v : max;
        }

        return (min, max);
    }
}
