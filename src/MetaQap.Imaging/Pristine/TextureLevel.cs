using System.Runtime.CompilerServices;

namespace MetaQap.Imaging.Pristine;

/// <summary>One mip level of a tileable texture: a power-of-two square sampled bilinearly with wrap-around.</summary>
internal readonly struct TextureLevel
{
    private readonly float[] _data;
    private readonly int _mask;
    private readonly int _shift;

    public TextureLevel(float[] data, int size)
    {
        _data = data;
        _mask = size - 1;
        _shift = System.Numerics.BitOperations.Log2((uint)size);
    }

    public int Size => _mask + 1;

    public ReadOnlySpan<float> Data => _data;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Bilinear(float u, float v)
    {
        float fu = MathF.Floor(u), fv = MathF.Floor(v);
        int iu = (int)fu, iv = (int)fv;
        float tu = u - fu, tv = v - fv;
        int x0 = iu & _mask, x1 = (iu + 1) & _mask;
        int r0 = (iv & _mask) << _shift, r1 = ((iv + 1) & _mask) << _shift;
        float[] d = _data;
        float top = d[r0 + x0] + (tu * (d[r0 + x1] - d[r0 + x0]));
        float bottom = d[r1 + x0] + (tu * (d[r1 + x1] - d[r1 + x0]));
        return top + (tv * (bottom - top));
    }
}
