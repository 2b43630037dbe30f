using MetaQap.Imaging.Distortions.Support;

namespace MetaQap.Imaging.Tests.Distortions;

public sealed class KernelTests
{
    [Fact]
    public void Disk_of_radius_one_is_matlabs()
    {
        // fspecial('disk', 1) as printed in MATLAB's documentation: the centre pixel holds 1/pi.
        Kernel2D disk = MatlabKernels.Disk(1);

        Assert.Equal((3, 3), (disk.Width, disk.Height));
        Assert.Equal(0.3183, disk[1, 1], 4);
        Assert.Equal(0.1453, disk[0, 1], 4);
        Assert.Equal(0.1453, disk[1, 2], 4);
        Assert.Equal(0.0251, disk[0, 0], 4);
        Assert.Equal(0.0251, disk[2, 2], 4);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public void Disk_is_normalised_and_symmetric(int radius)
    {
        Kernel2D disk = MatlabKernels.Disk(radius);

        Assert.Equal(1f, Sum(disk), 5);
        for (int y = 0; y < disk.Height; y++)
        {
            for (int x = 0; x < disk.Width; x++)
            {
                Assert.Equal(disk[y, x], disk[x, y], 6);
                Assert.Equal(disk[y, x], disk[disk.Height - 1 - y, x], 6);
            }
        }
    }

    [Fact]
    public void Horizontal_motion_of_length_three_is_a_box_row()
    {
        Kernel2D motion = MatlabKernels.Motion(3, 0);

        Assert.Equal((3, 1), (motion.Width, motion.Height));
        Assert.All(new[] { motion[0, 0], motion[0, 1], motion[0, 2] }, w => Assert.Equal(1f / 3, w, 5));
    }

    [Fact]
    public void Vertical_motion_is_a_column()
    {
        Kernel2D motion = MatlabKernels.Motion(5, 90);

        Assert.Equal((1, 5), (motion.Width, motion.Height));
        Assert.Equal(1f, Sum(motion), 5);
    }

    [Theory]
    [InlineData(10, 37)]
    [InlineData(6, 135)]
    public void Motion_is_normalised_and_point_symmetric(double length, double angle)
    {
        Kernel2D motion = MatlabKernels.Motion(length, angle);

        Assert.Equal(1f, Sum(motion), 4);
        for (int y = 0; y < motion.Height; y++)
        {
            for (int x = 0; x < motion.Width; x++)
            {
                Assert.Equal(motion[y, x], motion[motion.Height - 1 - y, motion.Width - 1 - x], 6);
            }
        }
    }

    [Fact]
    public void Motion_at_45_degrees_runs_from_bottom_left_to_top_right()
    {
        Kernel2D motion = MatlabKernels.Motion(7, 45);

        Assert.Equal((7, 7), (motion.Width, motion.Height));
        Assert.True(motion[1, motion.Width - 2] > 0.1f);
        Assert.True(motion[motion.Height - 2, 1] > 0.1f);
        Assert.True(motion[3, 3] > 0.1f);
        Assert.Equal(0f, motion[1, 1]);
        Assert.Equal(0f, motion[motion.Height - 2, motion.Width - 2]);
    }

    [Fact]
    public void Gaussian_has_matlab_support_and_unit_sum()
    {
        float[] kernel = MatlabKernels.Gaussian1D(2);

        Assert.Equal(9, kernel.Length); // 2 * ceil(2 * sigma) + 1
        Assert.Equal(1f, kernel.Sum(), 5);
        Assert.Equal(Math.Exp(-1.0 / 8), kernel[5] / kernel[4], 5); // neighbours of the centre: exp(-1 / (2 sigma^2))
    }

    private static float Sum(Kernel2D kernel)
    {
        float sum = 0;
        for (int y = 0; y < kernel.Height; y++)
        {
            for (int x = 0; x < kernel.Width; x++)
            {
                sum += kernel[y, x];
            }
        }

        return sum;
    }
}
