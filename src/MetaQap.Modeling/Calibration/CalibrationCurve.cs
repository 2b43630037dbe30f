using MetaQap.Modeling.Evaluation;

namespace MetaQap.Modeling.Calibration;

/// <summary>One size of a calibration curve: per random draw, the held-out SROCC and PLCC and the fit's seconds.</summary>
public sealed record CalibrationCurvePoint(int Items, IReadOnlyList<double> Srocc, IReadOnlyList<double> Plcc, IReadOnlyList<double> FitSeconds);

/// <summary>
/// How accuracy grows with the number of ratings (docs/calibration.md): for each size N and each of several seeded
/// draws, <see cref="CalibrationFit"/> on N random rated images, scored on all the others. The images are measured
/// once for all draws; only the fit is repeated, exactly as `metaqap calibrate` runs it.
/// </summary>
public static class CalibrationCurve
{
    public static IReadOnlyList<CalibrationCurvePoint> Run(CalibrationRows rows, IReadOnlyList<int> sizes, int draws, int seed,
        CalibrationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        if (sizes.Any(n => n < options.MinItems || n > rows.Count - 3))
        {
            throw new ArgumentException($"Each size must be from {options.MinItems} to {rows.Count - 3} (the rest is the test set).", nameof(sizes));
        }

        var points = new List<CalibrationCurvePoint>();
        foreach (int n in sizes)
        {
            var srocc = new List<double>();
            var plcc = new List<double>();
            var seconds = new List<double>();
            for (int d = 0; d < draws; d++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int[] order = [.. Enumerable.Range(0, rows.Count)];
                new Random(seed + d).Shuffle(order);
                CalibrationRows train = rows.Subset(order[..n]);
                CalibrationRows test = rows.Subset(order[n..]);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                CalibrationFit fit = CalibrationFit.Fit(train, options with { Seed = seed + d }, cancellationToken);
                seconds.Add(clock.Elapsed.TotalSeconds);
                EvaluationMetrics metrics = EvaluationMetrics.Compute(fit.Predict(test), [.. test.Mos.Select(m => 100 * m)]);
                srocc.Add(metrics.Srocc);
                plcc.Add(metrics.Plcc);
            }

            points.Add(new CalibrationCurvePoint(n, srocc, plcc, seconds));
        }

        return points;
    }
}
