using System.Globalization;
using SkiaSharp;

namespace MetaQap.Modeling.Evaluation;

/// <summary>Renders predicted score (x) against MOS (y) with the fitted mapping curve, as a PNG.</summary>
internal static class ScatterPlot
{
    public const int Width = 900;
    public const int Height = 700;
    private const float Left = 90, Right = 30, Top = 70, Bottom = 80;
    private const int CurveSamples = 256;

    public static void Write(string path, string title, double[] x, double[] y, LogisticMapping mapping, EvaluationMetrics metrics)
    {
        (double x0, double x1) = PaddedRange(x);
        (double y0, double y1) = PaddedRange(y);
        var plot = new SKRect(Left, Top, Width - Right, Height - Bottom);
        float Px(double v) => (float)(plot.Left + ((v - x0) / (x1 - x0) * plot.Width));
        float Py(double v) => (float)(plot.Bottom - ((v - y0) / (y1 - y0) * plot.Height));

        using var bitmap = new SKBitmap(Width, Height);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);

        using SKTypeface typeface = PlotTypeface.Load();
        using var font = new SKFont(typeface, 14);
        using var titleFont = new SKFont(typeface, 18);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var grid = new SKPaint { Color = new SKColor(225, 225, 225), StrokeWidth = 1, IsAntialias = true };
        using var frame = new SKPaint { Color = SKColors.Black, StrokeWidth = 1.5f, Style = SKPaintStyle.Stroke, IsAntialias = true };

        foreach (double t in Ticks(x0, x1))
        {
            canvas.DrawLine(Px(t), plot.Top, Px(t), plot.Bottom, grid);
            canvas.DrawText(Label(t), Px(t), plot.Bottom + 20, SKTextAlign.Center, font, ink);
        }

        foreach (double t in Ticks(y0, y1))
        {
            canvas.DrawLine(plot.Left, Py(t), plot.Right, Py(t), grid);
            canvas.DrawText(Label(t), plot.Left - 8, Py(t) + 5, SKTextAlign.Right, font, ink);
        }

        canvas.Save();
        canvas.ClipRect(plot);
        // Small translucent dots keep dense clouds (10^4–10^5 images) readable.
        float radius = x.Length > 5000 ? 1.5f : 3f;
        using (var dots = new SKPaint { Color = new SKColor(31, 119, 180, 110), IsAntialias = true })
        {
            for (int i = 0; i < x.Length; i++)
            {
                canvas.DrawCircle(Px(x[i]), Py(y[i]), radius, dots);
            }
        }

        using (var curve = new SKPaint { Color = new SKColor(214, 39, 40), StrokeWidth = 2.5f, Style = SKPaintStyle.Stroke, IsAntialias = true })
        {
            var points = new SKPoint[CurveSamples];
            for (int i = 0; i < CurveSamples; i++)
            {
                double v = x0 + ((x1 - x0) * i / (CurveSamples - 1));
                points[i] = new SKPoint(Px(v), Py(mapping.Map(v)));
            }

            canvas.DrawPoints(SKPointMode.Polygon, points, curve);
        }

        canvas.Restore();
        canvas.DrawRect(plot, frame);

        canvas.DrawText(title, Width / 2f, 28, SKTextAlign.Center, titleFont, ink);
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"N = {metrics.N}   PLCC = {metrics.Plcc:F4}   PLCC(logistic) = {metrics.PlccLogistic:F4}   SROCC = {metrics.Srocc:F4}   KROCC = {metrics.Krocc:F4}   RMSE = {metrics.Rmse:F4}");
        canvas.DrawText(summary, Width / 2f, 52, SKTextAlign.Center, font, ink);
        string curveName = mapping.IsLogistic ? "red: fitted 4-parameter logistic" : "red: least-squares line (logistic fit failed)";
        canvas.DrawText(curveName, plot.Right, plot.Bottom + 45, SKTextAlign.Right, font, ink);
        canvas.DrawText("Predicted score", plot.MidX, Height - 20, SKTextAlign.Center, font, ink);
        canvas.Save();
        canvas.RotateDegrees(-90, 24, plot.MidY);
        canvas.DrawText("MOS", 24, plot.MidY, SKTextAlign.Center, font, ink);
        canvas.Restore();

        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using FileStream file = File.Create(path);
        png.SaveTo(file);
    }

    /// <summary>Data range with 5 % margins; a constant vector gets a unit-wide window so nothing divides by 0.</summary>
    internal static (double Low, double High) PaddedRange(double[] values)
    {
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (double v in values)
        {
            low = Math.Min(low, v);
            high = Math.Max(high, v);
        }

        double pad = high > low ? 0.05 * (high - low) : 0.5;
        return (low - pad, high + pad);
    }

    /// <summary>Round tick positions 1, 2 or 5 × 10^k apart, about five of them across the range.</summary>
    internal static List<double> Ticks(double low, double high)
    {
        double raw = (high - low) / 5;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double fraction = raw / magnitude;
        double step = (fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10) * magnitude;
        var ticks = new List<double>();
        for (double t = Math.Ceiling(low / step) * step; t <= high + (1e-9 * step); t += step)
        {
            ticks.Add(Math.Abs(t) < 1e-12 * step ? 0 : t);
        }

        return ticks;
    }

    private static string Label(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
