using MetaQap.Imaging.Distortions.Support;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Metrics;

/// <summary>
/// How far the colours moved: the per-pixel magnitude of the difference in the YIQ chroma plane (I, Q), averaged
/// over the image after a Gaussian blur (σ = 1 px) of the difference. The blur plays the role of S-CIELAB's
/// spatial filter: the eye resolves chroma more coarsely than luma, so pixel-level chroma noise counts less than a
/// shift of whole colour regions. YIQ chroma is the colour term of FSIMc (Zhang et al. 2011); it is linear, so this
/// costs a fraction of a millisecond at 224×224.
/// </summary>
public static class ChromaDifferenceMetric
{
    public static double Compute(RgbImage reference, RgbImage distorted)
    {
        FullReferenceMetrics.RequireSameSize(reference, distorted);
        int n = reference.PlaneSize;
        var di = new float[n];
        var dq = new float[n];
        ReadOnlySpan<float> r0 = reference.ReadPlane(0), g0 = reference.ReadPlane(1), b0 = reference.ReadPlane(2);
        ReadOnlySpan<float> r1 = distorted.ReadPlane(0), g1 = distorted.ReadPlane(1), b1 = distorted.ReadPlane(2);
        for (int i = 0; i < n; i++)
        {
            float dr = r0[i] - r1[i], dg = g0[i] - g1[i], db = b0[i] - b1[i];
            di[i] = (0.596f * dr) - (0.274f * dg) - (0.322f * db);
            dq[i] = (0.211f * dr) - (0.523f * dg) + (0.312f * db);
        }

        float[] kernel = MatlabKernels.Gaussian1D(1.0);
        var blurred = new float[n];
        Convolution.Separable(di, blurred, reference.Width, reference.Height, kernel);
        (di, blurred) = (blurred, di);
        Convolution.Separable(dq, blurred, reference.Width, reference.Height, kernel);
        dq = blurred;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += Math.Sqrt((di[i] * di[i]) + (dq[i] * dq[i]));
        }

        return sum / n;
    }
}
