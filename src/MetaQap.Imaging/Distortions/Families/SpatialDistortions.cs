using System.Buffers;
using MetaQap.Imaging.Distortions.Support;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions.Families;

/// <summary>KADID 19-21 and 23: imjitter, imnoneccentricity, impixelate, imcolorblock.</summary>
internal static class SpatialDistortions
{
    private const int JitterRounds = 5;
    private const int EccentricPatch = 16;
    private const int EccentricRadius = 16;
    private const int ColorBlockSize = 32;

    /// <summary>
    /// imscatter(I, [], amount, 5): five times, every pixel is resampled (bicubic) from a position displaced by
    /// independent N(0, amount^2) offsets in x and y.
    /// </summary>
    public static RgbImage Jitter(RgbImage image, double amount, DistortionRandom random)
    {
        int width = image.Width, height = image.Height, n = image.PlaneSize;
        float spread = (float)amount;
        float[] current = ArrayPool<float>.Shared.Rent(4 * n);
        float[] next = ArrayPool<float>.Shared.Rent(4 * n);
        try
        {
            Interleave(image, current);
            for (int round = 0; round < JitterRounds; round++)
            {
                for (int y = 0; y < height; y++)
                {
                    for (int x = 0; x < width; x++)
                    {
                        float sy = y - (spread * random.NextGaussianSingle());
                        float sx = x - (spread * random.NextGaussianSingle());
                        Bicubic.Sample(current, width, height, sx, sy, next, (y * width) + x);
                    }
                }

                (current, next) = (next, current);
            }

            Deinterleave(current, image);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(current);
            ArrayPool<float>.Shared.Return(next);
        }

        return image;
    }

    /// <summary>
    /// imnoneccentricity: patches of 16x16 taken at random (at least 16 pixels from the border) and pasted at a
    /// random offset within +-8 pixels, one after another on the same image.
    /// </summary>
    public static RgbImage NonEccentricityPatches(RgbImage image, int patches, DistortionRandom random)
    {
        int pw = Math.Min(EccentricPatch, image.Width), ph = Math.Min(EccentricPatch, image.Height);
        Span<float> patch = stackalloc float[RgbImage.Channels * EccentricPatch * EccentricPatch];
        for (int i = 0; i < patches; i++)
        {
            int x = StartWithin(random, EccentricRadius, image.Width - pw - EccentricRadius, image.Width - pw);
            int y = StartWithin(random, EccentricRadius, image.Height - ph - EccentricRadius, image.Height - ph);
            int toX = Math.Clamp((int)Math.Round(((random.NextDouble() - 0.5) * EccentricRadius) + x), 0, image.Width - pw);
            int toY = Math.Clamp((int)Math.Round(((random.NextDouble() - 0.5) * EccentricRadius) + y), 0, image.Height - ph);
            CopyRegion(image, x, y, pw, ph, patch, toImage: false);
            CopyRegion(image, toX, toY, pw, ph, patch, toImage: true);
        }

        return image;
    }

    /// <summary>impixelate: nearest-neighbour imresize by z = 0.95 - strength^0.6, then back to the original size.</summary>
    public static RgbImage Pixelate(RgbImage image, double strength)
    {
        double z = 0.95 - Math.Pow(strength, 0.6);
        int smallWidth = Math.Max(1, (int)Math.Ceiling(z * image.Width));
        int smallHeight = Math.Max(1, (int)Math.Ceiling(z * image.Height));
        int[] downX = NearestIndices(smallWidth, image.Width, z);
        int[] downY = NearestIndices(smallHeight, image.Height, z);
        int[] upX = NearestIndices(image.Width, smallWidth, (double)image.Width / smallWidth);
        int[] upY = NearestIndices(image.Height, smallHeight, (double)image.Height / smallHeight);
        float[] copy = ArrayPool<float>.Shared.Rent(image.PlaneSize);
        try
        {
            for (int c = 0; c < RgbImage.Channels; c++)
            {
                Span<float> plane = image.Plane(c);
                plane.CopyTo(copy);
                for (int y = 0; y < image.Height; y++)
                {
                    int sourceRow = downY[upY[y]] * image.Width;
                    for (int x = 0; x < image.Width; x++)
                    {
                        plane[(y * image.Width) + x] = copy[sourceRow + downX[upX[x]]];
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(copy);
        }

        return image;
    }

    /// <summary>imcolorblock: 32x32 blocks of a uniformly random colour at uniformly random positions.</summary>
    public static RgbImage ColorBlocks(RgbImage image, int blocks, DistortionRandom random)
    {
        int bw = Math.Min(ColorBlockSize, image.Width), bh = Math.Min(ColorBlockSize, image.Height);
        Span<float> colour = stackalloc float[RgbImage.Channels];
        for (int i = 0; i < blocks; i++)
        {
            for (int c = 0; c < colour.Length; c++)
            {
                colour[c] = (float)random.NextDouble();
            }

            int x = (int)Math.Floor(random.NextDouble() * (image.Width - bw));
            int y = (int)Math.Floor(random.NextDouble() * (image.Height - bh));
            for (int c = 0; c < RgbImage.Channels; c++)
            {
                Span<float> plane = image.Plane(c);
                for (int row = y; row < y + bh; row++)
                {
                    plane.Slice((row * image.Width) + x, bw).Fill(colour[c]);
                }
            }
        }

        return image;
    }

    /// <summary>Planar RGB to interleaved RGBX (X unused), the layout <see cref="Bicubic"/> samples.</summary>
    private static void Interleave(RgbImage image, float[] rgbx)
    {
        ReadOnlySpan<float> r = image.ReadPlane(0), g = image.ReadPlane(1), b = image.ReadPlane(2);
        for (int i = 0; i < r.Length; i++)
        {
            rgbx[4 * i] = r[i];
            rgbx[(4 * i) + 1] = g[i];
            rgbx[(4 * i) + 2] = b[i];
            rgbx[(4 * i) + 3] = 0f;
        }
    }

    private static void Deinterleave(float[] rgbx, RgbImage image)
    {
        Span<float> r = image.Plane(0), g = image.Plane(1), b = image.Plane(2);
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = rgbx[4 * i];
            g[i] = rgbx[(4 * i) + 1];
            b[i] = rgbx[(4 * i) + 2];
        }
    }

    /// <summary>round(rand * (high - low)) + low, kept inside [0, limit] for images too small for the margins.</summary>
    private static int StartWithin(DistortionRandom random, int low, int high, int limit)
    {
        int start = (int)Math.Round((random.NextDouble() * Math.Max(0, high - low)) + low);
        return Math.Clamp(start, 0, Math.Max(0, limit));
    }

    private static void CopyRegion(RgbImage image, int x, int y, int w, int h, Span<float> patch, bool toImage)
    {
        for (int c = 0; c < RgbImage.Channels; c++)
        {
            Span<float> plane = image.Plane(c);
            for (int row = 0; row < h; row++)
            {
                Span<float> imageRow = plane.Slice(((y + row) * image.Width) + x, w);
                Span<float> patchRow = patch.Slice(((c * h) + row) * w, w);
                if (toImage)
                {
                    patchRow.CopyTo(imageRow);
                }
                else
                {
                    imageRow.CopyTo(patchRow);
                }
            }
        }
    }

    /// <summary>
    /// MATLAB imresize 'nearest' index map: output sample o (1-based) reads input round-half-up of
    /// o/scale + (1 - 1/scale)/2, clamped; returned 0-based.
    /// </summary>
    private static int[] NearestIndices(int outputLength, int inputLength, double scale)
    {
        var indices = new int[outputLength];
        for (int o = 0; o < outputLength; o++)
        {
            double u = ((o + 1) / scale) + (0.5 * (1 - (1 / scale)));
            indices[o] = Math.Clamp((int)Math.Floor(u + 0.5) - 1, 0, inputLength - 1);
        }

        return indices;
    }
}
