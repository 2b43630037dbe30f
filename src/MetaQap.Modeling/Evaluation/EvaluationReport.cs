using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MetaQap.Modeling.Evaluation;

/// <summary>
/// Writes an evaluation folder: <c>report.md</c> (human summary), <c>metrics.json</c> (machine-readable, keys
/// n, plcc, plcc_logistic, srocc, krocc, rmse; an undefined correlation is written as null),
/// <c>predictions.csv</c> (id, predicted, mos) and <c>scatter.png</c> (predictions vs. MOS with the fitted logistic).
/// </summary>
public static class EvaluationReport
{
    public const string MarkdownFile = "report.md";
    public const string MetricsFile = "metrics.json";
    public const string PredictionsFile = "predictions.csv";
    public const string ScatterFile = "scatter.png";

    public static void Write(
        string directory,
        string title,
        IReadOnlyList<string> ids,
        IReadOnlyList<double> predicted,
        IReadOnlyList<double> mos,
        EvaluationMetrics metrics)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(mos);
        ArgumentNullException.ThrowIfNull(metrics);
        if (ids.Count != predicted.Count || mos.Count != predicted.Count || metrics.N != predicted.Count)
        {
            throw new ArgumentException(
                $"ids ({ids.Count}), predictions ({predicted.Count}), MOS ({mos.Count}) and metrics.N ({metrics.N}) must agree.");
        }

        double[] x = [.. predicted];
        double[] y = [.. mos];
        LogisticMapping mapping = LogisticMapping.Fit(x, y);

        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, MetricsFile), MetricsJson(metrics), Encoding.UTF8);
        File.WriteAllText(Path.Combine(directory, PredictionsFile), PredictionsCsv(ids, x, y), Encoding.UTF8);
        File.WriteAllText(Path.Combine(directory, MarkdownFile), Markdown(title, metrics, mapping), Encoding.UTF8);
        ScatterPlot.Write(Path.Combine(directory, ScatterFile), title, x, y, mapping, metrics);
    }

    internal static string MetricsJson(EvaluationMetrics metrics)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            WriteMetricFields(json, metrics);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    internal static string PredictionsCsv(IReadOnlyList<string> ids, double[] predicted, double[] mos)
    {
        var csv = new StringBuilder("id,predicted,mos\n");
        for (int i = 0; i < predicted.Length; i++)
        {
            csv.Append(CsvField(ids[i])).Append(',')
               .Append(predicted[i].ToString("R", CultureInfo.InvariantCulture)).Append(',')
               .Append(mos[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return csv.ToString();
    }

    private static string Markdown(string title, EvaluationMetrics m, LogisticMapping mapping)
    {
        var md = new StringBuilder();
        md.Append("# ").Append(title).Append("\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Images: {m.N}\n\n");
        md.Append("| metric | value |\n|---|---|\n");
        md.Append("| PLCC | ").Append(Format(m.Plcc)).Append(" |\n");
        md.Append("| PLCC (4-parameter logistic) | ").Append(Format(m.PlccLogistic)).Append(" |\n");
        md.Append("| SROCC | ").Append(Format(m.Srocc)).Append(" |\n");
        md.Append("| KROCC | ").Append(Format(m.Krocc)).Append(" |\n");
        md.Append("| RMSE (raw scale) | ").Append(Format(m.Rmse)).Append(" |\n\n");
        if (mapping.LinearFallback is { } line)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"Logistic fit failed or was degenerate; PLCC (logistic) uses the least-squares line mos = {line.Intercept:G6} + {line.Slope:G6}·x.\n\n");
        }
        else
        {
            md.Append(CultureInfo.InvariantCulture,
                $"Logistic mapping f(x) = (β1 − β2) / (1 + exp(−(x − β3)/|β4|)) + β2 with β1 = {mapping.Beta1:G6}, β2 = {mapping.Beta2:G6}, β3 = {mapping.Beta3:G6}, β4 = {mapping.Beta4:G6}.\n\n");
        }

        md.Append("![predicted vs MOS](").Append(ScatterFile).Append(")\n\n");
        md.Append("Files: `").Append(MetricsFile).Append("`, `").Append(PredictionsFile).Append("`, `")
          .Append(ScatterFile).Append("`.\n");
        return md.ToString();
    }

    private static string Format(double value) =>
        double.IsNaN(value) ? "n/a (constant input)" : value.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>
    /// The metric fields of metrics.json (n, plcc, plcc_logistic, srocc, krocc, rmse; an undefined correlation is
    /// null) into an object the caller has opened, so every JSON the project writes names them the same way.
    /// </summary>
    public static void WriteMetricFields(Utf8JsonWriter json, EvaluationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(metrics);
        json.WriteNumber("n", metrics.N);
        WriteNumberOrNull(json, "plcc", metrics.Plcc);
        WriteNumberOrNull(json, "plcc_logistic", metrics.PlccLogistic);
        WriteNumberOrNull(json, "srocc", metrics.Srocc);
        WriteNumberOrNull(json, "krocc", metrics.Krocc);
        WriteNumberOrNull(json, "rmse", metrics.Rmse);
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
