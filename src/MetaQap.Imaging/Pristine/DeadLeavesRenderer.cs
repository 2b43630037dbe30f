using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Pristine;

/// <summary>
/// Renders a view of a dead-leaves scene front to back. The scene is a sequence of leaves; leaf k draws its
/// geometry and its paint from two streams hashed from (scene, k), so the scene does not depend on the view and a
/// leaf outside the view is rejected after four draws. Leaves are drawn only where they can reach the unit
/// scene: a leaf of radius r has its centre uniform in [−2r, 1 + 2r]², which keeps the process stationary (equal
/// density everywhere) if the radius is drawn from r^-α (1 + 4r)², a mixture of three power laws. Drawing stops
/// when every pixel is covered.
/// </summary>
internal sealed class DeadLeavesRenderer
{
    /// <summary>Upper bound on bounding radius / equal-area radius over all shapes (polygons are capped to it).</summary>
    private const float MaxExtent = 2f;
    private const ulong PaintTag = 0xC010;
    private readonly DeadLeavesOptions _options;
    private readonly TextureBank _textures;
    private readonly PowerLaw _law0, _law1, _law2;
    private readonly float _split0, _split1, _logContrastRange, _logDensityRange;

    public DeadLeavesRenderer(DeadLeavesOptions options, TextureBank textures)
    {
        _options = options;
        _textures = textures;
        float a = options.Exponent;
        _law0 = new PowerLaw(options.MinRadius, options.MaxRadius, a);
        _law1 = new PowerLaw(options.MinRadius, options.MaxRadius, a - 1f);
        _law2 = new PowerLaw(options.MinRadius, options.MaxRadius, a - 2f);
        float m0 = _law0.Mass, m1 = 4f * MaxExtent * _law1.Mass, m2 = 4f * MaxExtent * MaxExtent * _law2.Mass;
        _split0 = m0 / (m0 + m1 + m2);
        _split1 = (m0 + m1) / (m0 + m1 + m2);
        _logContrastRange = MathF.Log(options.TextureContrastMax / options.TextureContrastMin);
        _logDensityRange = MathF.Log(options.TextureDensityMax / options.TextureDensityMin);
    }

    public RgbImage Render(SceneStyle style, float viewX, float viewY, float side, int size)
    {
        float scale = size / side;
        float viewRight = viewX + side, viewBottom = viewY + side;
        ulong paintSeed = SplitMix64.Hash(style.LeafSeed, PaintTag);
        using var canvas = new LeafCanvas(size);
        for (int k = 0; k < _options.MaxLeaves && canvas.OpenPixels > 0; k++)
        {
            var rng = new SplitMix64(SplitMix64.Hash(style.LeafSeed, (ulong)k));
            float r = SampleRadius(ref rng);
            float margin = MaxExtent * r;
            float cx = -margin + (rng.NextFloat() * (1f + (2f * margin)));
            if (cx + margin < viewX || cx - margin > viewRight)
            {
                continue;
            }

            float cy = -margin + (rng.NextFloat() * (1f + (2f * margin)));
            if (cy + margin < viewY || cy - margin > viewBottom)
            {
                continue;
            }

            float px = (cx - viewX) * scale, py = (cy - viewY) * scale, reach = (margin * scale) + 1f;
            if (Box(px, py, reach, size, out int x0, out int x1, out int y0, out int y1)
                && canvas.AnyOpen(x0, x1, y0, y1))
            {
                var paint = new DeferredPaint(this, style, SplitMix64.Hash(paintSeed, (ulong)k), cx, cy, px, py, r * scale, scale);
                DrawLeaf(ref rng, canvas, ref paint, r * scale);
            }
        }

        // Illumination 1 + I·(s − ½) at scene point s, expressed per pixel of this view.
        float half = 0.5f / scale;
        float light0 = 1f + (style.IlluminationX * (viewX + half - 0.5f)) + (style.IlluminationY * (viewY + half - 0.5f));
        return canvas.Finish(style.BackgroundR, style.BackgroundG, style.BackgroundB,
            light0, style.IlluminationX / scale, style.IlluminationY / scale);
    }

    /// <summary>Colour, shading and texture mapping of one leaf, in pixels of the view being rendered.</summary>
    public LeafPaint Paint(ulong seed, SceneStyle style, float sceneX, float sceneY, float px, float py, float radius, float scale)
    {
        var rng = new SplitMix64(seed);
        var paint = new LeafPaint { CenterX = px, CenterY = py };
        style.LeafColour(ref rng, sceneX, sceneY, out paint.R, out paint.G, out paint.B);

        // Linear shading: a relative change of up to ShadingStrength across the leaf's diameter.
        (float shadeSin, float shadeCos) = MathF.SinCos(rng.NextFloat(0f, 2f * MathF.PI));
        float shade = rng.NextFloat(0f, _options.ShadingStrength) / (2f * MathF.Max(radius, 0.5f));
        paint.ShadeX = shade * shadeCos;
        paint.ShadeY = shade * shadeSin;

        int texture = style.PickTexture(ref rng);
        paint.Contrast = _options.TextureContrastMin * MathF.Exp(rng.NextFloat() * _logContrastRange);
        float texelsPerPixel = _options.TextureDensityMin * MathF.Exp(rng.NextFloat() * _logDensityRange) / scale;
        (float texSin, float texCos) = MathF.SinCos(rng.NextFloat(0f, 2f * MathF.PI));
        float u0 = rng.NextFloat(0f, _textures.BaseSize), v0 = rng.NextFloat(0f, _textures.BaseSize);

        // Coarser mip levels until a pixel spans at most one texel: magnified texture, never aliased.
        int level = 0;
        while (texelsPerPixel > 1f && level < _textures.LevelCount - 1)
        {
            texelsPerPixel *= 0.5f;
            u0 *= 0.5f;
            v0 *= 0.5f;
            level++;
        }

        paint.Texture = _textures.Level(texture, level);
        float tc = texelsPerPixel * texCos, ts = texelsPerPixel * texSin;
        (paint.U0, paint.V0, paint.UPerX, paint.UPerY, paint.VPerX, paint.VPerY) = (u0, v0, tc, -ts, ts, tc);
        return paint;
    }

    private float SampleRadius(ref SplitMix64 rng)
    {
        float pick = rng.NextFloat();
        PowerLaw law = pick < _split0 ? _law0 : pick < _split1 ? _law1 : _law2;
        return law.Sample(rng.NextFloat());
    }

    /// <summary>Inclusive pixel box of a disc of <paramref name="reach"/> pixels; false when it misses the image.</summary>
    private static bool Box(float px, float py, float reach, int size, out int x0, out int x1, out int y0, out int y1)
    {
        x0 = Math.Max(0, (int)MathF.Floor(px - reach));
        x1 = Math.Min(size - 1, (int)MathF.Floor(px + reach));
        y0 = Math.Max(0, (int)MathF.Floor(py - reach));
        y1 = Math.Min(size - 1, (int)MathF.Floor(py + reach));
        return x0 <= x1 && y0 <= y1;
    }

    private void DrawLeaf(ref SplitMix64 rng, LeafCanvas canvas, ref DeferredPaint paint, float radius)
    {
        if (radius < 0.5f)
        {
            canvas.Splat(MathF.PI * radius * radius, in paint.Value);
            return;
        }

        float pick = rng.NextFloat();
        (float sin, float cos) = MathF.SinCos(rng.NextFloat(0f, MathF.PI));
        if (pick < _options.EllipseFraction)
        {
            float aspect = MathF.Sqrt(rng.NextFloat(1f, 2.5f));
            Fill(canvas, new EllipseShape(cos, sin, radius * aspect, radius / aspect), ref paint, radius * aspect);
        }
        else if (pick < _options.EllipseFraction + _options.RectangleFraction)
        {
            float aspect = rng.NextFloat(1f, 3f);
            float hw = radius * MathF.Sqrt(MathF.PI * aspect) / 2f, hh = radius * MathF.Sqrt(MathF.PI / aspect) / 2f;
            Fill(canvas, new RectangleShape(cos, sin, hw, hh), ref paint, MathF.Sqrt((hw * hw) + (hh * hh)));
        }
        else if (pick < _options.EllipseFraction + _options.RectangleFraction + _options.PolygonFraction)
        {
            PolygonShape polygon = LeafPolygon.Create(ref rng, cos, sin, radius, MaxExtent, out float bound);
            Fill(canvas, polygon, ref paint, bound);
        }
        else
        {
            Fill(canvas, new DiskShape(radius), ref paint, radius);
        }
    }

    private static void Fill<TShape>(LeafCanvas canvas, in TShape shape, ref DeferredPaint paint, float bound)
        where TShape : struct, ILeafShape
    {
        if (Box(paint.CenterX, paint.CenterY, bound + 0.5f, canvas.Size, out int x0, out int x1, out int y0, out int y1))
        {
            canvas.Fill(in shape, ref paint, bound, x0, x1, y0, y1);
        }
    }
}
