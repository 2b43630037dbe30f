using System.Buffers;
using MetaQap.Imaging.Distortions.Support;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions.Families;

/// <summary>KADID 1-3: imblurgauss, imblurlens, imblurmotion (imfilter with replicated borders).</summary>
internal static class BlurDistortions
{
    public static RgbImage Gaussian(RgbImage image, double sigma)
    {
        float[] kernel = MatlabKernels.Gaussian1D(sigma);
        for (int c = 0; c < RgbImage.Channels; c++)
        {
            Convolution.Separable(image.Plane(c), image.Plane(c), image.Width, image.Height, kernel);
        }

        return image;
    }

    public static RgbImage Lens(RgbImage image, int radius) => Filter(image, MatlabKernels.Disk(radius));

    /// <summary>KADID draws the angle with randi([0, 180]) for every image.</summary>
    public static RgbImage Motion(RgbImage image, double length, DistortionRandom random) =>
        Filter(image, MatlabKernels.Motion(length, random.NextInt(0, 180)));

    private static RgbImage Filter(RgbImage image, Kernel2D kernel)
    {
        float[] copy = ArrayPool<float>.Shared.Rent(image.PlaneSize);
        try
        {
            for (int c = 0; c < RgbImage.Channels; c++)
            {
                image.ReadPlane(c).CopyTo(copy);
                Convolution.Full(copy.AsSpan(0, image.PlaneSize), image.Plane(c), image.Width, image.Height, kernel);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(copy);
        }

        return image;
    }
}
