using System.Buffers;
using System.Runtime.CompilerServices;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Pristine;

/// <summary>
/// Front-to-back compositing target for dead leaves. Each pixel keeps its transmittance (how much of it is still
/// visible behind the leaves drawn so far); a leaf adds transmittance × coverage × its colour. A pixel is finished
/// once its transmittance drops below <see cref="Finished"/>, and 8×8 tiles count their unfinished pixels so the
/// many late, small leaves that fall on covered areas cost a few comparisons instead of a scan. Pixels are kept
/// interleaved (R, G, B, transmittance) while drawing, one 16-byte slot each, so a leaf touches one cache line
/// per few pixels rather than four; <see cref="Finish"/> writes the planar image.
/// </summary>
internal sealed class LeafCanvas : IDisposable
{
    // Below half an 8-bit step: what still shows through cannot change a stored pixel.
    private const float Finished = 1f / 512f;
    private const int TileShift = 3;
    private readonly int _size, _tilesPerRow;
    private readonly float[] _pixels;
    private readonly int[] _tileOpen;

    public LeafCanvas(int size)
    {
        _size = size;
        _pixels = ArrayPool<float>.Shared.Rent(4 * size * size);
        for (int i = 0; i < 4 * size * size; i += 4)
        {
            _pixels[i] = _pixels[i + 1] = _pixels[i + 2] = 0f;
            _pixels[i + 3] = 1f;
        }

        _tilesPerRow = (size + (1 << TileShift) - 1) >> TileShift;
        _tileOpen = ArrayPool<int>.Shared.Rent(_tilesPerRow * _tilesPerRow);
        for (int ty = 0; ty < _tilesPerRow; ty++)
        {
            int h = Math.Min(1 << TileShift, size - (ty << TileShift));
            for (int tx = 0; tx < _tilesPerRow; tx++)
            {
                _tileOpen[(ty * _tilesPerRow) + tx] = h * Math.Min(1 << TileShift, size - (tx << TileShift));
            }
        }

        OpenPixels = size * size;
    }

    public int Size => _size;

    /// <summary>Pixels still visible through the leaves drawn so far; rendering stops at zero.</summary>
    public int OpenPixels { get; private set; }

    /// <summary>Whether any pixel in the inclusive pixel box is unfinished.</summary>
    public bool AnyOpen(int x0, int x1, int y0, int y1)
    {
        int tx1 = x1 >> TileShift, ty1 = y1 >> TileShift;
        for (int ty = y0 >> TileShift; ty <= ty1; ty++)
        {
            for (int tx = x0 >> TileShift; tx <= tx1; tx++)
            {
                if (_tileOpen[(ty * _tilesPerRow) + tx] != 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Composites a leaf over the inclusive pixel box with analytic edge coverage, tile by tile so that the
    /// finished parts of a large leaf's box are skipped without touching their pixels.
    /// </summary>
    public void Fill<TShape>(in TShape shape, ref DeferredPaint paint, float bound, int x0, int x1, int y0, int y1)
        where TShape : struct, ILeafShape
    {
        // Pixel centres farther than bound + ½ from the centre have no coverage.
        float reachSquared = (bound + 0.5f) * (bound + 0.5f);
        int tx1 = x1 >> TileShift, ty1 = y1 >> TileShift;
        for (int ty = y0 >> TileShift; ty <= ty1; ty++)
        {
            int rowStart = Math.Max(y0, ty << TileShift), rowEnd = Math.Min(y1, ((ty + 1) << TileShift) - 1);
            for (int tx = x0 >> TileShift; tx <= tx1; tx++)
            {
                int tile = (ty * _tilesPerRow) + tx;
                if (_tileOpen[tile] != 0)
                {
                    int finished = FillTile(in shape, ref paint, reachSquared,
                        Math.Max(x0, tx << TileShift), Math.Min(x1, ((tx + 1) << TileShift) - 1), rowStart, rowEnd);
                    _tileOpen[tile] -= finished;
                    OpenPixels -= finished;
                }
            }
        }
    }

    /// <summary>
    /// A leaf smaller than a pixel is splatted bilinearly with its area as total coverage, so sub-pixel leaves
    /// contribute in proportion to their size instead of each claiming at least half a pixel.
    /// </summary>
    public void Splat(float area, in LeafPaint paint)
    {
        float px = paint.CenterX - 0.5f, py = paint.CenterY - 0.5f;
        int ix = (int)MathF.Floor(px), iy = (int)MathF.Floor(py);
        float fx = px - ix, fy = py - iy;
        float factor = paint.Factor(0f, 0f);
        for (int k = 0; k < 4; k++)
        {
            int x = ix + (k & 1), y = iy + (k >> 1);
            if ((uint)x >= (uint)_size || (uint)y >= (uint)_size)
            {
                continue;
            }

            float weight = area * ((k & 1) == 0 ? 1f - fx : fx) * ((k >> 1) == 0 ? 1f - fy : fy);
            if (Composite(4 * ((y * _size) + x), weight, factor, in paint))
            {
                _tileOpen[((y >> TileShift) * _tilesPerRow) + (x >> TileShift)]--;
                OpenPixels--;
            }
        }
    }

    /// <summary>
    /// Shows the background through what is still open, applies the scene's illumination gradient (given per
    /// pixel, with its value at the top-left pixel centre) and clamps into [0, 1].
    /// </summary>
    public RgbImage Finish(float backR, float backG, float backB, float light0, float lightPerX, float lightPerY)
    {
        var image = new RgbImage(_size, _size);
        Span<float> red = image.Plane(0), green = image.Plane(1), blue = image.Plane(2);
        for (int y = 0; y < _size; y++)
        {
            float lightRow = light0 + (lightPerY * y);
            for (int x = 0; x < _size; x++)
            {
                int i = (y * _size) + x, p = 4 * i;
                float t = _pixels[p + 3];
                float light = lightRow + (lightPerX * x);
                red[i] = Math.Clamp((_pixels[p] + (t * backR)) * light, 0f, 1f);
                green[i] = Math.Clamp((_pixels[p + 1] + (t * backG)) * light, 0f, 1f);
                blue[i] = Math.Clamp((_pixels[p + 2] + (t * backB)) * light, 0f, 1f);
            }
        }

        return image;
    }

    public void Dispose()
    {
        ArrayPool<float>.Shared.Return(_pixels);
        ArrayPool<int>.Shared.Return(_tileOpen);
    }

    /// <summary>Fills the part of the box inside one tile; returns how many pixels it finished.</summary>
    private int FillTile<TShape>(in TShape shape, ref DeferredPaint paint, float reachSquared, int x0, int x1, int y0, int y1)
        where TShape : struct, ILeafShape
    {
        int finished = 0;
        float cx = paint.CenterX, cy = paint.CenterY;
        for (int y = y0; y <= y1; y++)
        {
            float dy = y + 0.5f - cy;
            float span = reachSquared - (dy * dy);
            if (span <= 0f)
            {
                continue;
            }

            span = MathF.Sqrt(span);
            int xEnd = Math.Min(x1, (int)MathF.Floor(cx + span - 0.5f));
            for (int x = Math.Max(x0, (int)MathF.Ceiling(cx - span - 0.5f)); x <= xEnd; x++)
            {
                int p = 4 * ((y * _size) + x);
                if (_pixels[p + 3] <= Finished)
                {
                    continue;
                }

                float dx = x + 0.5f - cx;
                float coverage = shape.Distance(dx, dy) + 0.5f;
                if (coverage > 0f)
                {
                    ref readonly LeafPaint value = ref paint.Value;
                    if (Composite(p, MathF.Min(coverage, 1f), value.Factor(dx, dy), in value))
                    {
                        finished++;
                    }
                }
            }
        }

        return finished;
    }

    /// <summary>Adds a leaf with the given coverage of the pixel slot at p; true when that finishes the pixel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Composite(int p, float coverage, float factor, in LeafPaint paint)
    {
        float t = _pixels[p + 3];
        if (t <= Finished)
        {
            return false;
        }

        float weight = coverage * t;
        float w = weight * factor;
        _pixels[p] += w * paint.R;
        _pixels[p + 1] += w * paint.G;
        _pixels[p + 2] += w * paint.B;
        t -= weight;
        _pixels[p + 3] = t;
        return t <= Finished;
    }
}
