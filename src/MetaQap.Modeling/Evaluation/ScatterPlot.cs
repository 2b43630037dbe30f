using System.Globalization;
using MetaQap.Imaging.Drawing;
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

        using var grid = new SKPaint { Color = new SKColor(225, 225, 225), StrokeWidth = 1, IsAntialias = true };
        using var frame = new SKPaint { Color = SKColors.Black, StrokeWidth = 1.5f, Style = SKPaintStyle.Stroke, IsAntialias = true };

        foreach (double t in Ticks(x0, x1))
        {
            canvas.DrawLine(Px(t), plot.Top, Px(t), plot.Bottom, grid);
            Text(canvas, Label(t), Px(t), plot.Bottom + 20, SKTextAlign.Center, 2);
        }

        foreach (double t in Ticks(y0, y1))
        {
            canvas.DrawLine(plot.Left, Py(t), plot.Right, Py(t), grid);
            Text(canvas, Label(t), plot.Left - 8, Py(t) + 7, SKTextAlign.Right, 2);
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

        Text(canvas, title, Width / 2f, 30, SKTextAlign.Center, 3);
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"N={metrics.N}  PLCC={metrics.Plcc:F4}  PLCC(LOGISTIC)={metrics.PlccLogistic:F4}  SROCC={metrics.Srocc:F4}  KROCC={metrics.Krocc:F4}  RMSE={metrics.Rmse:F4}");
        Text(canvas, summary, Width / 2f, 54, SKTextAlign.Center, 1);
        string curveName = mapping.IsLogistic ? "red: fitted 4-parameter logistic" : "red: least-squares line (logistic fit failed)";
        Text(canvas, curveName, plot.Right, plot.Bottom + 45, SKTextAlign.Right, 2);
        Text(canvas, "Predicted score", plot.MidX, Height - 16, SKTextAlign.Center, 2);
        canvas.Save();
        canvas.RotateDegrees(-90, 24, plot.MidY);
        Text(canvas, "MOS", 24, plot.MidY, SKTextAlign.Center, 2);
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

    /// <summary>Draws with the built-in pixel font (no system fonts needed); y is the text baseline.</summary>
    private static void Text(SKCanvas canvas, string text, float x, float baseline, SKTextAlign align, int scale)
    {
        float width = PixelFont.MeasureWidth(text, scale);
        float left = align switch
        {
            SKTextAlign.Center => x - (width / 2),
            SKTextAlign.Right => x - width,
            _ => x,
        };
        PixelFont.Draw(canvas, text, left, baseline - (PixelFont.GlyphHeight * scale), SKColors.Black, scale);
    }

    private static string Label(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
