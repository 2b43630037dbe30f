using System.Text.Json;
using MetaQap.Modeling.Evaluation;
using SkiaSharp;

namespace MetaQap.Modeling.Tests.Evaluation;

public sealed class EvaluationReportTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaqap-report-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Write_produces_metrics_json_with_the_documented_keys()
    {
        EvaluationMetrics metrics = WriteSample();

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "metrics.json")));
        string[] keys = [.. json.RootElement.EnumerateObject().Select(p => p.Name)];
        Assert.Equal(["n", "plcc", "plcc_logistic", "srocc", "krocc", "rmse"], keys);
        Assert.Equal(metrics.N, json.RootElement.GetProperty("n").GetInt32());
        Assert.Equal(metrics.PlccLogistic, json.RootElement.GetProperty("plcc_logistic").GetDouble());
        Assert.Equal(metrics.Krocc, json.RootElement.GetProperty("krocc").GetDouble());
    }

    [Fact]
    public void Write_produces_a_csv_row_per_image_with_quoted_ids()
    {
        WriteSample();

        string[] lines = File.ReadAllLines(Path.Combine(_directory, "predictions.csv"));
        Assert.Equal("id,predicted,mos", lines[0]);
        Assert.Equal(LogisticMappingTests.Predicted.Length + 1, lines.Length);
        Assert.Equal("img-0,0.005,1.081", lines[1]);
        Assert.Equal("\"img,\"\"3\"\"\",0.215,1.096", lines[4]);
    }

    [Fact]
    public void Write_produces_a_markdown_summary_linking_the_plot()
    {
        WriteSample();

        string md = File.ReadAllText(Path.Combine(_directory, "report.md"));
        Assert.StartsWith("# Sample run", md, StringComparison.Ordinal);
        Assert.Contains("| PLCC (4-parameter logistic) | 0.9912 |", md, StringComparison.Ordinal);
        Assert.Contains("![predicted vs MOS](scatter.png)", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_draws_points_and_the_fitted_curve_into_the_scatter_png()
    {
        WriteSample();

        using SKBitmap png = SKBitmap.Decode(Path.Combine(_directory, "scatter.png"));
        Assert.Equal(900, png.Width);
        Assert.Equal(700, png.Height);
        int red = 0, blue = 0;
        for (int y = 0; y < png.Height; y++)
        {
            for (int x = 0; x < png.Width; x++)
            {
                SKColor c = png.GetPixel(x, y);
                red += c.Red > 180 && c.Green < 90 && c.Blue < 90 ? 1 : 0;
                blue += c.Blue > c.Red + 40 && c.Blue > c.Green + 10 ? 1 : 0;
            }
        }

        Assert.True(red > 500, $"curve pixels: {red}");
        Assert.True(blue > 100, $"point pixels: {blue}");
    }

    [Fact]
    public void Write_labels_the_scatter_png_without_any_system_font()
    {
        WriteSample();

        using SKBitmap png = SKBitmap.Decode(Path.Combine(_directory, "scatter.png"));
        int dark = 0;
        for (int y = 0; y < png.Height; y++)
        {
            for (int x = 0; x < png.Width; x++)
            {
                SKColor c = png.GetPixel(x, y);
                dark += c.Red < 60 && c.Green < 60 && c.Blue < 60 ? 1 : 0;
            }
        }

        // Without text only a few frame pixels are this dark (27 measured); title, ticks and labels add ~1400.
        Assert.True(dark > 700, $"text pixels: {dark}");
    }

    [Fact]
    public void Undefined_correlations_are_written_as_null()
    {
        double[] constant = [2, 2, 2, 2];
        double[] mos = [1, 2, 3, 4];
        EvaluationMetrics metrics = EvaluationMetrics.Compute(constant, mos);

        EvaluationReport.Write(_directory, "Collapsed", ["a", "b", "c", "d"], constant, mos, metrics);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "metrics.json")));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("plcc").ValueKind);
        Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("rmse").ValueKind);
        Assert.True(File.Exists(Path.Combine(_directory, "scatter.png")));
    }

    [Fact]
    public void Mismatched_ids_are_rejected()
    {
        double[] x = LogisticMappingTests.Predicted;
        EvaluationMetrics metrics = EvaluationMetrics.Compute(x, LogisticMappingTests.Mos);

        Assert.Throws<ArgumentException>(() => EvaluationReport.Write(_directory, "t", ["only-one"], x, LogisticMappingTests.Mos, metrics));
    }

    private EvaluationMetrics WriteSample()
    {
        double[] x = LogisticMappingTests.Predicted;
        double[] mos = LogisticMappingTests.Mos;
        string[] ids = new string[x.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = i == 3 ? "img,\"3\"" : $"img-{i}";
        }

        EvaluationMetrics metrics = EvaluationMetrics.Compute(x, mos);
        EvaluationReport.Write(_directory, "Sample run", ids, x, mos, metrics);
        return metrics;
    }
}
