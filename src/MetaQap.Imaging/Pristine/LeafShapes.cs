using System.Runtime.CompilerServices;

namespace MetaQap.Imaging.Pristine;

/// <summary>
/// A leaf outline as a signed distance in pixels (positive inside) from the leaf centre offset (dx, dy). Coverage
/// of a pixel is then clamp(distance + 0.5, 0, 1): analytic anti-aliasing without supersampling. The distances are
/// exact for disks and near exact within half a pixel of the other outlines, which is all coverage needs.
/// Structs behind a generic constraint so the renderer's inner loop is specialised and inlined per shape.
/// </summary>
internal interface ILeafShape
{
    float Distance(float dx, float dy);
}

internal readonly struct DiskShape(float radius) : ILeafShape
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(float dx, float dy) => radius - MathF.Sqrt((dx * dx) + (dy * dy));
}

internal readonly struct EllipseShape(float cos, float sin, float semiMajor, float semiMinor) : ILeafShape
{
    private readonly float _invA2 = 1f / (semiMajor * semiMajor), _invB2 = 1f / (semiMinor * semiMinor);

    /// <summary>
    /// First-order distance −g/|∇g| of the implicit g = u²/a² + v²/b² − 1. (Not the faster reciprocal square root
    /// estimate: its precision differs between CPUs, and the scenes must be the same everywhere.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(float dx, float dy)
    {
        float u = (cos * dx) + (sin * dy), v = (cos * dy) - (sin * dx);
        float gu = u * _invA2, gv = v * _invB2;
        float g = (u * gu) + (v * gv) - 1f;
        return -0.5f * g / MathF.Sqrt(MathF.Max((gu * gu) + (gv * gv), 1e-12f));
    }
}

internal readonly struct RectangleShape(float cos, float sin, float halfWidth, float halfHeight) : ILeafShape
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(float dx, float dy)
    {
        float u = (cos * dx) + (sin * dy), v = (cos * dy) - (sin * dx);
        return MathF.Min(halfWidth - MathF.Abs(u), halfHeight - MathF.Abs(v));
    }
}

[InlineArray(PolygonShape.MaxSides)]
internal struct PolygonEdges
{
    private float _element0;
}

/// <summary>A convex polygon as the intersection of half-planes n·p ≤ offset (normals of unit length).</summary>
internal struct PolygonShape : ILeafShape
{
    public const int MaxSides = 8;
    private PolygonEdges _nx, _ny, _offset;
    private int _sides;

    public void AddEdge(float nx, float ny, float offset)
    {
        _nx[_sides] = nx;
        _ny[_sides] = ny;
        _offset[_sides] = offset;
        _sides++;
    }

    /// <summary>Minimum over the edges; stops at the first edge that already puts the pixel outside.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float Distance(float dx, float dy)
    {
        float d = float.MaxValue;
        for (int i = 0; i < _sides && d > -0.5f; i++)
        {
            d = MathF.Min(d, _offset[i] - ((_nx[i] * dx) + (_ny[i] * dy)));
        }

        return d;
    }
}
