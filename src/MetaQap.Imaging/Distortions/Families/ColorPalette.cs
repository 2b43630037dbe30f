using System.Numerics;

namespace MetaQap.Imaging.Distortions.Families;

/// <summary>Palette in structure-of-arrays form, padded to whole vectors with unreachable colours.</summary>
internal sealed class ColorPalette
{
    private readonly float[] _r, _g, _b;
    private readonly float[] _safeRadius;
    private readonly int _count;

    public ColorPalette(int count)
    {
        _count = count;
        int padded = ((count + Vector<float>.Count - 1) / Vector<float>.Count) * Vector<float>.Count;
        _r = new float[padded];
        _g = new float[padded];
        _b = new float[padded];
        Array.Fill(_r, 1e6f);
        _safeRadius = new float[count];
    }

    public (float R, float G, float B) this[int index] => (_r[index], _g[index], _b[index]);

    private float Distance(int k, float r, float g, float b)
    {
        float dr = _r[k] - r, dg = _g[k] - g, db = _b[k] - b;
        return (dr * dr) + (dg * dg) + (db * db);
    }

    public void Set(int index, float r, float g, float b) => (_r[index], _g[index], _b[index]) = (r, g, b);

    /// <summary>Precomputes, per colour, the squared radius inside which it is certainly the nearest one.</summary>
    public void Seal()
    {
        for (int k = 0; k < _count; k++)
        {
            float closest = float.MaxValue;
            for (int j = 0; j < _count; j++)
            {
                if (j != k)
                {
                    closest = MathF.Min(closest, Distance(k, _r[j], _g[j], _b[j]));
                }
            }

            // Triangle inequality: within half the distance to the closest other colour, k wins.
            _safeRadius[k] = closest / 4;
        }
    }

    /// <summary>Nearest palette colour; <paramref name="guess"/> (the previous pixel's) is checked first.</summary>
    public int Nearest(float r, float g, float b, int guess)
    {
        if (Distance(guess, r, g, b) < _safeRadius[guess])
        {
            return guess;
        }

        var vr = new Vector<float>(r);
        var vg = new Vector<float>(g);
        var vb = new Vector<float>(b);
        var best = new Vector<float>(float.MaxValue);
        var bestChunk = Vector<int>.Zero;
        int lanes = Vector<float>.Count;
        for (int chunk = 0; chunk * lanes < _r.Length; chunk++)
        {
            Vector<float> dr = new Vector<float>(_r, chunk * lanes) - vr;
            Vector<float> dg = new Vector<float>(_g, chunk * lanes) - vg;
            Vector<float> db = new Vector<float>(_b, chunk * lanes) - vb;
            Vector<float> d = (dr * dr) + (dg * dg) + (db * db);
            Vector<int> closer = Vector.LessThan(d, best);
            best = Vector.Min(d, best);
            bestChunk = Vector.ConditionalSelect(closer, new Vector<int>(chunk), bestChunk);
        }

        int bestIndex = 0;
        float bestDistance = float.MaxValue;
        for (int lane = 0; lane < lanes; lane++)
        {
            int index = (bestChunk[lane] * lanes) + lane;
            if (best[lane] < bestDistance && index < _count)
            {
                bestDistance = best[lane];
                bestIndex = index;
            }
        }

        return bestIndex;
    }
}
