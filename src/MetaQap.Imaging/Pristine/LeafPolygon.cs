namespace MetaQap.Imaging.Pristine;

/// <summary>
/// Random convex polygons: 3 to 7 vertices on a circle at jittered angles (jitter below half the spacing keeps
/// them in order, hence convex), stretched along a random axis, then scaled to the leaf's area.
/// </summary>
internal static class LeafPolygon
{
    public static PolygonShape Create(ref SplitMix64 rng, float cos, float sin, float radius, float maxExtent, out float bound)
    {
        int sides = 3 + rng.NextInt(5);
        float stretch = MathF.Sqrt(rng.NextFloat(1f, 1.6f));
        float step = 2f * MathF.PI / sides;
        Span<float> xs = stackalloc float[PolygonShape.MaxSides];
        Span<float> ys = stackalloc float[PolygonShape.MaxSides];
        for (int j = 0; j < sides; j++)
        {
            float a = step * (j + rng.NextFloat(-0.35f, 0.35f));
            float u = MathF.Cos(a) * stretch, v = MathF.Sin(a) / stretch;
            xs[j] = (cos * u) - (sin * v);
            ys[j] = (sin * u) + (cos * v);
        }

        float area = 0f, far = 0f;
        for (int j = 0; j < sides; j++)
        {
            int n = (j + 1) % sides;
            area += (xs[j] * ys[n]) - (xs[n] * ys[j]);
            far = MathF.Max(far, MathF.Sqrt((xs[j] * xs[j]) + (ys[j] * ys[j])));
        }

        // Equal area with a disk of this radius, unless that would outgrow the extent the sampler assumed.
        float scaleUp = MathF.Min(radius * MathF.Sqrt(2f * MathF.PI / area), maxExtent * radius / far);
        bound = far * scaleUp;
        var polygon = default(PolygonShape);
        for (int j = 0; j < sides; j++)
        {
            int n = (j + 1) % sides;
            float ex = (xs[n] - xs[j]) * scaleUp, ey = (ys[n] - ys[j]) * scaleUp;
            float length = MathF.Sqrt((ex * ex) + (ey * ey));
            float nx = ey / length, ny = -ex / length;
            polygon.AddEdge(nx, ny, (nx * xs[j] * scaleUp) + (ny * ys[j] * scaleUp));
        }

        return polygon;
    }
}
