using System.Runtime.CompilerServices;

namespace MetaQap.Imaging.Pristine;

/// <summary>
/// How a leaf is filled, in pixel units relative to its centre: a base colour scaled by
/// 1 + linear shading + contrast × texture, the texture mapped by a rotation-and-scale from the centre offset.
/// </summary>
internal struct LeafPaint
{
    public float CenterX, CenterY;
    public float R, G, B;
    public float ShadeX, ShadeY;
    public float Contrast;
    public TextureLevel Texture;
    public float U0, V0, UPerX, UPerY, VPerX, VPerY;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float Factor(float dx, float dy)
    {
        float tex = Texture.Bilinear(U0 + (UPerX * dx) + (UPerY * dy), V0 + (VPerX * dx) + (VPerY * dy));
        return MathF.Max(0f, 1f + (ShadeX * dx) + (ShadeY * dy) + (Contrast * tex));
    }
}
