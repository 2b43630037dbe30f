namespace MetaQap.Imaging.Distortions.Support;

/// <summary>
/// One subband of a multi-level <see cref="Cdf97Wavelet"/> transform in its Mallat layout: the rectangle
/// [X0, X1) x [Y0, Y1) of the plane, the level it belongs to (1 = finest) and which axes are high-pass.
/// </summary>
internal readonly record struct WaveletBand(int X0, int X1, int Y0, int Y1, int Level, bool HighX, bool HighY)
{
    public int Count => (X1 - X0) * (Y1 - Y0);

    public bool IsLowest => !HighX && !HighY;

    /// <summary>Every band of a transform: the detail bands from finest to coarsest, then the remaining low band.</summary>
    public static WaveletBand[] All(int width, int height, int levels)
    {
        var bands = new List<WaveletBand>((3 * levels) + 1);
        for (int level = 1; level <= levels; level++)
        {
            int w = Cdf97Wavelet.Size(width, level - 1), h = Cdf97Wavelet.Size(height, level - 1);
            int lw = Cdf97Wavelet.Size(width, level), lh = Cdf97Wavelet.Size(height, level);
            bands.Add(new WaveletBand(lw, w, 0, lh, level, HighX: true, HighY: false));
            bands.Add(new WaveletBand(0, lw, lh, h, level, HighX: false, HighY: true));
            bands.Add(new WaveletBand(lw, w, lh, h, level, HighX: true, HighY: true));
        }

        bands.Add(new WaveletBand(0, Cdf97Wavelet.Size(width, levels), 0, Cdf97Wavelet.Size(height, levels), levels, HighX: false, HighY: false));
        return [.. bands];
    }

    /// <summary>Product of the two axes' synthesis norms: the image-domain weight of a unit coefficient error.</summary>
    public double SynthesisNorm(BandNorms norms) =>
        Level == 0 ? 1 : (HighX ? norms.SynthesisHigh[Level] : norms.SynthesisLow[Level]) * (HighY ? norms.SynthesisHigh[Level] : norms.SynthesisLow[Level]);

    /// <summary>Product of the two axes' analysis norms: the standard deviation white unit noise has in this band.</summary>
    public double AnalysisNorm(BandNorms norms) =>
        Level == 0 ? 1 : (HighX ? norms.AnalysisHigh[Level] : norms.AnalysisLow[Level]) * (HighY ? norms.AnalysisHigh[Level] : norms.AnalysisLow[Level]);
}
