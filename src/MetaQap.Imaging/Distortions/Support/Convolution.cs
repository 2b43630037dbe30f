using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MetaQap.Imaging.Distortions.Support;

/// <summary>
/// Convolution of one float plane with MATLAB imfilter(..., 'replicate', 'same') semantics (correlation; every
/// kernel used here is symmetric, or flipped by its builder, so the distinction does not bite).
/// The inner loops run across x with <see cref="Vector{T}"/> so that even the 81-tap colour-diffusion Gaussian
/// stays within the per-image time budget.
/// </summary>
internal static class Convolution
{
    /// <summary>Separable filtering with the same odd-length 1-D kernel along x and then y.</summary>
    public static void Separable(ReadOnlySpan<float> source, Span<float> destination, int width, int height, ReadOnlySpan<float> kernel)
    {
        int radius = kernel.Length / 2;
        float[] rowPad = ArrayPool<float>.Shared.Rent(width + (2 * radius));
        float[] temp = ArrayPool<float>.Shared.Rent(width * height);
        try
        {
            for (int y = 0; y < height; y++)
            {
                FillPaddedRow(source.Slice(y * width, width), rowPad, radius);
                FilterRow(rowPad, temp.AsSpan(y * width, width), kernel);
            }

            for (int y = 0; y < height; y++)
            {
                Span<float> output = destination.Slice(y * width, width);
                output.Clear();
                for (int k = 0; k < kernel.Length; k++)
                {
                    int sy = Math.Clamp(y + k - radius, 0, height - 1);
                    AddScaled(temp.AsSpan(sy * width, width), output, kernel[k]);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rowPad);
            ArrayPool<float>.Shared.Return(temp);
        }
    }

    /// <summary>General 2-D filtering; zero taps are skipped, so sparse kernels (motion blur) cost only their support.</summary>
    public static void Full(ReadOnlySpan<float> source, Span<float> destination, int width, int height, Kernel2D kernel)
    {
        int rx = kernel.Width / 2;
        int ry = kernel.Height / 2;
        int paddedWidth = width + (2 * rx);
        float[] padded = ArrayPool<float>.Shared.Rent(paddedWidth * kernel.Height);
        try
        {
            for (int y = 0; y < height; y++)
            {
                // A ring of kernel.Height padded rows would save the copies; at these sizes the copy is noise.
                for (int ky = 0; ky < kernel.Height; ky++)
                {
                    int sy = Math.Clamp(y + ky - ry, 0, height - 1);
                    FillPaddedRow(source.Slice(sy * width, width), padded.AsSpan(ky * paddedWidth, paddedWidth), rx);
                }

                Span<float> output = destination.Slice(y * width, width);
                output.Clear();
                for (int ky = 0; ky < kernel.Height; ky++)
                {
                    for (int kx = 0; kx < kernel.Width; kx++)
                    {
                        float weight = kernel[ky, kx];
                        if (weight != 0f)
                        {
                            AddScaled(padded.AsSpan((ky * paddedWidth) + kx, width), output, weight);
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(padded);
        }
    }

    private static void FillPaddedRow(ReadOnlySpan<float> row, Span<float> padded, int radius)
    {
        row.CopyTo(padded.Slice(radius, row.Length));
        padded[..radius].Fill(row[0]);
        padded.Slice(radius + row.Length, radius).Fill(row[^1]);
    }

    private static void FilterRow(ReadOnlySpan<float> padded, Span<float> output, ReadOnlySpan<float> kernel)
    {
        output.Clear();
        for (int k = 0; k < kernel.Length; k++)
        {
            AddScaled(padded.Slice(k, output.Length), output, kernel[k]);
        }
    }

    /// <summary>output += weight * input, vectorised.</summary>
    private static void AddScaled(ReadOnlySpan<float> input, Span<float> output, float weight)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && output.Length >= Vector<float>.Count)
        {
            var w = new Vector<float>(weight);
            ReadOnlySpan<Vector<float>> inVec = MemoryMarshal.Cast<float, Vector<float>>(input);
            Span<Vector<float>> outVec = MemoryMarshal.Cast<float, Vector<float>>(output);
            int n = Math.Min(inVec.Length, outVec.Length);
            for (int v = 0; v < n; v++)
            {
                outVec[v] += inVec[v] * w;
            }

            i = n * Vector<float>.Count;
        }

        for (; i < output.Length; i++)
        {
            output[i] += input[i] * weight;
        }
    }
}
