namespace MetaQap.Modeling.Evaluation;

/// <summary>
/// Levenberg–Marquardt least squares for the 4-parameter logistic of <see cref="LogisticMapping"/>, with
/// Marquardt's diagonal scaling so that parameters on very different scales (MOS levels vs. score spread) are
/// damped evenly.
/// </summary>
internal static class LevenbergMarquardt
{
    private const int P = 4;

    /// <summary>Returns the parameters reached; the caller judges whether they are usable.</summary>
    public static double[] Minimise(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double[] start, int maxIterations)
    {
        double[] beta = (double[])start.Clone();
        double sse = LogisticMapping.SumOfSquares(x, y, beta);
        double lambda = 1e-3;
        var jtj = new double[P, P];
        var jtr = new double[P];
        var system = new double[P, P];
        var step = new double[P];
        var trial = new double[P];

        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            Accumulate(x, y, beta, jtj, jtr);
            double maxDiag = 0;
            for (int i = 0; i < P; i++)
            {
                maxDiag = Math.Max(maxDiag, jtj[i, i]);
            }

            if (maxDiag == 0)
            {
                break;
            }

            bool improved = false;
            while (lambda < 1e16)
            {
                for (int i = 0; i < P; i++)
                {
                    for (int j = 0; j < P; j++)
                    {
                        system[i, j] = jtj[i, j];
                    }

                    // A floor keeps the damped system positive definite when a derivative vanishes (β1 = β2).
                    system[i, i] += lambda * Math.Max(jtj[i, i], 1e-12 * maxDiag);
                    step[i] = -jtr[i];
                }

                if (SolveSymmetric(system, step))
                {
                    for (int i = 0; i < P; i++)
                    {
                        trial[i] = beta[i] + step[i];
                    }

                    double trialSse = LogisticMapping.SumOfSquares(x, y, trial);
                    if (double.IsFinite(trialSse) && trialSse < sse)
                    {
                        bool smallStep = true;
                        for (int i = 0; i < P; i++)
                        {
                            smallStep &= Math.Abs(step[i]) <= 1e-10 * (Math.Abs(beta[i]) + 1e-10);
                        }

                        Array.Copy(trial, beta, P);
                        sse = trialSse;
                        lambda = Math.Max(lambda / 10, 1e-12);
                        improved = true;
                        if (smallStep)
                        {
                            return beta;
                        }

                        break;
                    }
                }

                lambda *= 10;
            }

            if (!improved)
            {
                // No damping gives a decrease: we are at a minimum to working precision.
                break;
            }
        }

        return beta;
    }

    /// <summary>Jᵀ J and Jᵀ r of the residuals r = f(x; β) − y.</summary>
    private static void Accumulate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double[] beta, double[,] jtj, double[] jtr)
    {
        Array.Clear(jtj);
        Array.Clear(jtr);
        Span<double> g = stackalloc double[P];
        double scale = Math.Abs(beta[3]);
        double sign = beta[3] >= 0 ? 1.0 : -1.0;
        double amplitude = beta[0] - beta[1];
        for (int n = 0; n < x.Length; n++)
        {
            double z = (x[n] - beta[2]) / scale;
            double s = LogisticMapping.Sigmoid(z);
            double ds = s * (1 - s);
            double r = (amplitude * s) + beta[1] - y[n];
            g[0] = s;
            g[1] = 1 - s;
            g[2] = -amplitude * ds / scale;
            g[3] = -amplitude * ds * z / scale * sign;
            for (int i = 0; i < P; i++)
            {
                jtr[i] += g[i] * r;
                for (int j = 0; j <= i; j++)
                {
                    jtj[i, j] += g[i] * g[j];
                }
            }
        }

        for (int i = 0; i < P; i++)
        {
            for (int j = i + 1; j < P; j++)
            {
                jtj[i, j] = jtj[j, i];
            }
        }
    }

    /// <summary>Cholesky solve of a small SPD system in place; false when it is not positive definite.</summary>
    private static bool SolveSymmetric(double[,] a, double[] b)
    {
        int n = b.Length;
        for (int j = 0; j < n; j++)
        {
            double d = a[j, j];
            for (int k = 0; k < j; k++)
            {
                d -= a[j, k] * a[j, k];
            }

            if (!(d > 0))
            {
                return false;
            }

            a[j, j] = Math.Sqrt(d);
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i, j];
                for (int k = 0; k < j; k++)
                {
                    s -= a[i, k] * a[j, k];
                }

                a[i, j] = s / a[j, j];
            }
        }

        for (int i = 0; i < n; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++)
            {
                s -= a[i, k] * b[k];
            }

            b[i] = s / a[i, i];
        }

        for (int i = n - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int k = i + 1; k < n; k++)
            {
                s -= a[k, i] * b[k];
            }

            b[i] = s / a[i, i];
        }

        return true;
    }
}
