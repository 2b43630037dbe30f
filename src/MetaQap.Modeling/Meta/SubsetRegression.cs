namespace MetaQap.Modeling.Meta;

/// <summary>
/// Least squares with an intercept on any subset of the predictor columns, from cross-products computed once
/// (O(n·p²)), so that each of the many subset fits of a stepwise search costs O(k³) instead of O(n·k²).
/// Columns are centred (absorbing the intercept) and scaled to unit norm, so the Gram matrix is a correlation
/// matrix and the collinearity tolerance is scale-free.
/// </summary>
internal sealed class SubsetRegression
{
    /// <summary>A column whose R² on the other chosen columns exceeds 1 − this is treated as collinear.</summary>
    private const double CollinearityTolerance = 1e-10;

    private readonly double[] _means;
    private readonly double[] _norms;
    private readonly double[,] _gram;
    private readonly double[] _gramY;
    private readonly double _meanY;

    public SubsetRegression(double[][] rows, double[] y)
    {
        int n = y.Length;
        int p = rows[0].Length;
        Count = n;
        PredictorCount = p;
        _means = new double[p];
        _norms = new double[p];
        _gram = new double[p, p];
        _gramY = new double[p];

        foreach (double[] row in rows)
        {
            for (int j = 0; j < p; j++)
            {
                _means[j] += row[j] / n;
            }
        }

        foreach (double v in y)
        {
            _meanY += v / n;
        }

        var centred = new double[p];
        var squares = new double[p];
        for (int i = 0; i < n; i++)
        {
            double dy = y[i] - _meanY;
            TotalSumOfSquares += dy * dy;
            for (int j = 0; j < p; j++)
            {
                centred[j] = rows[i][j] - _means[j];
                squares[j] += rows[i][j] * rows[i][j];
                _gramY[j] += centred[j] * dy;
                for (int k = 0; k <= j; k++)
                {
                    _gram[j, k] += centred[j] * centred[k];
                }
            }
        }

        for (int j = 0; j < p; j++)
        {
            // A relative spread below 1e-12 is rounding noise around a constant, not information.
            double sjj = _gram[j, j];
            _norms[j] = sjj > 1e-24 * squares[j] ? Math.Sqrt(sjj) : 0;
        }

        for (int j = 0; j < p; j++)
        {
            for (int k = 0; k <= j; k++)
            {
                double value = _norms[j] > 0 && _norms[k] > 0 ? _gram[j, k] / (_norms[j] * _norms[k]) : 0;
                _gram[j, k] = value;
                _gram[k, j] = value;
            }

            _gramY[j] = _norms[j] > 0 ? _gramY[j] / _norms[j] : 0;
        }
    }

    public int Count { get; }

    public int PredictorCount { get; }

    /// <summary>Σ (y − ȳ)², the residual sum of squares of the intercept-only model.</summary>
    public double TotalSumOfSquares { get; }

    public bool IsConstant(int column) => _norms[column] == 0;

    /// <summary>Pearson correlation of a column with y (0 for a constant column).</summary>
    public double CorrelationWithTarget(int column) =>
        TotalSumOfSquares > 0 ? _gramY[column] / Math.Sqrt(TotalSumOfSquares) : 0;

    /// <summary>OLS on the given columns plus an intercept; null when a column is constant or collinear with the others.</summary>
    public SubsetFit? Fit(IReadOnlyList<int> columns)
    {
        int k = columns.Count;
        var chol = new double[k, k];
        for (int j = 0; j < k; j++)
        {
            if (IsConstant(columns[j]))
            {
                return null;
            }

            double d = _gram[columns[j], columns[j]];
            for (int m = 0; m < j; m++)
            {
                d -= chol[j, m] * chol[j, m];
            }

            // d = 1 − R² of column j on the columns before it (unit-norm columns).
            if (!(d > CollinearityTolerance))
            {
                return null;
            }

            chol[j, j] = Math.Sqrt(d);
            for (int i = j + 1; i < k; i++)
            {
                double s = _gram[columns[i], columns[j]];
                for (int m = 0; m < j; m++)
                {
                    s -= chol[i, m] * chol[j, m];
                }

                chol[i, j] = s / chol[j, j];
            }
        }

        // Forward substitution gives z = L⁻¹ Xᵀy, whose squared norm is the explained sum of squares.
        var z = new double[k];
        double explained = 0;
        for (int i = 0; i < k; i++)
        {
            double s = _gramY[columns[i]];
            for (int m = 0; m < i; m++)
            {
                s -= chol[i, m] * z[m];
            }

            z[i] = s / chol[i, i];
            explained += z[i] * z[i];
        }

        var coefficients = new double[k];
        for (int i = k - 1; i >= 0; i--)
        {
            double s = z[i];
            for (int m = i + 1; m < k; m++)
            {
                s -= chol[m, i] * coefficients[m];
            }

            coefficients[i] = s / chol[i, i];
        }

        double intercept = _meanY;
        for (int i = 0; i < k; i++)
        {
            coefficients[i] /= _norms[columns[i]];
            intercept -= coefficients[i] * _means[columns[i]];
        }

        return new SubsetFit(intercept, coefficients, Math.Max(TotalSumOfSquares - explained, 0));
    }
}

/// <summary>Raw-scale OLS result for a column subset (coefficients in the subset's order).</summary>
internal sealed record SubsetFit(double Intercept, double[] Coefficients, double ResidualSumOfSquares);
