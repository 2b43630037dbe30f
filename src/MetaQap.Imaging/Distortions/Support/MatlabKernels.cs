namespace MetaQap.Imaging.Distortions.Support;

/// <summary>
/// The filter kernels of MATLAB's fspecial that KADID's generator uses, rebuilt from their published definitions
/// so that blur strengths mean what they mean in KADID.
/// </summary>
internal static class MatlabKernels
{
    /// <summary>
    /// 1-D factor of fspecial('gaussian', 2*ceil(2*sigma)+1, sigma), the size imgaussfilt picks by default.
    /// The 2-D kernel is the outer product of this with itself (fspecial's eps-level zeroing is below float noise).
    /// </summary>
    public static float[] Gaussian1D(double sigma) => Gaussian1D(sigma, (int)Math.Ceiling(2 * sigma));

    /// <summary>1-D Gaussian factor with an explicit radius (imsharpen uses ceil(2*radius) around sigma=radius).</summary>
    public static float[] Gaussian1D(double sigma, int radius)
    {
        var weights = new double[(2 * radius) + 1];
        double sum = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            double d = i - radius;
            weights[i] = Math.Exp(-(d * d) / (2 * sigma * sigma));
            sum += weights[i];
        }

        var kernel = new float[weights.Length];
        for (int i = 0; i < kernel.Length; i++)
        {
            kernel[i] = (float)(weights[i] / sum);
        }

        return kernel;
    }

    /// <summary>
    /// fspecial('disk', radius): a pillbox whose boundary pixels hold the exact area of the disc inside them.
    /// KADID's lens-blur radii are integers, for which fspecial's extra correction of radii just above a
    /// half-integer never applies, so the radius is an int here.
    /// </summary>
    public static Kernel2D Disk(int radius)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(radius);
        double rad = radius;
        double rad2 = rad * rad;
        int crad = (int)Math.Ceiling(rad - 0.5);
        int size = (2 * crad) + 1;
        var grid = new double[size * size];
        double total = 0;
        for (int row = 0; row < size; row++)
        {
            for (int col = 0; col < size; col++)
            {
                double ax = Math.Abs(col - crad);
                double ay = Math.Abs(row - crad);
                double maxxy = Math.Max(ax, ay);
                double minxy = Math.Min(ax, ay);
                double value = 0;
                bool partial = (rad2 < Sq(maxxy + 0.5) + Sq(minxy + 0.5) && rad2 > Sq(maxxy - 0.5) + Sq(minxy - 0.5))
                    || (minxy == 0 && maxxy - 0.5 < rad && maxxy + 0.5 >= rad);
                if (partial)
                {
                    double m1 = rad2 < Sq(maxxy + 0.5) + Sq(minxy - 0.5) ? minxy - 0.5 : Math.Sqrt(rad2 - Sq(maxxy + 0.5));
                    double m2 = rad2 > Sq(maxxy - 0.5) + Sq(minxy + 0.5) ? minxy + 0.5 : Math.Sqrt(rad2 - Sq(maxxy - 0.5));
                    double a1 = Math.Asin(m1 / rad);
                    double a2 = Math.Asin(m2 / rad);
                    value = (rad2 * ((0.5 * (a2 - a1)) + (0.25 * (Math.Sin(2 * a2) - Math.Sin(2 * a1)))))
                        - ((maxxy - 0.5) * (m2 - m1)) + (m1 - minxy + 0.5);
                }

                if (Sq(maxxy + 0.5) + Sq(minxy + 0.5) < rad2)
                {
                    value += 1;
                }

                if (row == crad && col == crad)
                {
                    value = Math.Min(Math.Min(Math.PI * rad2, Math.PI / 2), 1);
                }

                grid[(row * size) + col] = value;
                total += value;
            }
        }

        return ToKernel(size, size, grid, total);
    }

    /// <summary>
    /// fspecial('motion', length, angle): an anti-aliased line segment of the given length (pixels) at the given
    /// angle (degrees, counter-clockwise), for use as an imfilter correlation kernel.
    /// </summary>
    public static Kernel2D Motion(double length, double angleDegrees)
    {
        const double eps = 2.220446049250313e-16;
        const double lineWidth = 1;
        length = Math.Max(1, length);
        double half = (length - 1) / 2;
        double phi = (((angleDegrees % 180) + 180) % 180) / 180 * Math.PI;
        double cos = Math.Cos(phi);
        double sin = Math.Sin(phi);
        int xSign = Math.Sign(cos);
        int sx = (int)Math.Truncate((half * cos) + (lineWidth * xSign) - (length * eps));
        int sy = (int)Math.Truncate((half * sin) + lineWidth - (length * eps));
        int rows = sy + 1;
        int cols = Math.Abs(sx) + 1;

        // One quadrant of the segment: distance of each pixel centre to the line, capped at the segment's end.
        var quadrant = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                double x = c * xSign;
                double y = r;
                double dist = (y * cos) - (x * sin);
                double radius = Math.Sqrt((x * x) + (y * y));
                if (radius >= half && Math.Abs(dist) <= lineWidth)
                {
                    double beyond = half - Math.Abs((x + (dist * sin)) / cos);
                    dist = Math.Sqrt((dist * dist) + (beyond * beyond));
                }

                quadrant[(r * cols) + c] = Math.Max(0, lineWidth + eps - Math.Abs(dist));
            }
        }

        // Mirror the quadrant through the centre (rot90 twice) and place the original in the opposite corner.
        int height = (2 * rows) - 1;
        int width = (2 * cols) - 1;
        var grid = new double[height * width];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                grid[(r * width) + c] = quadrant[((rows - 1 - r) * cols) + (cols - 1 - c)];
            }
        }

        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                grid[((rows - 1 + r) * width) + (cols - 1 + c)] = quadrant[(r * cols) + c];
            }
        }

        double total = eps * length * length;
        foreach (double v in grid)
        {
            total += v;
        }

        if (cos > 0)
        {
            FlipRows(grid, width, height);
        }

        return ToKernel(width, height, grid, total);
    }

    private static void FlipRows(double[] grid, int width, int height)
    {
        for (int top = 0, bottom = height - 1; top < bottom; top++, bottom--)
        {
            for (int c = 0; c < width; c++)
            {
                (grid[(top * width) + c], grid[(bottom * width) + c]) = (grid[(bottom * width) + c], grid[(top * width) + c]);
            }
        }
    }

    private static Kernel2D ToKernel(int width, int height, double[] grid, double total)
    {
        var weights = new float[grid.Length];
        for (int i = 0; i < grid.Length; i++)
        {
            weights[i] = (float)(grid[i] / total);
        }

        return new Kernel2D(width, height, weights);
    }

    private static double Sq(double v) => v * v;
}
