using MetaQap.Modeling.Weights;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Calibration;

/// <summary>
/// <see cref="CalibrationRows"/> kept in a safetensors file, so a calibration curve over thousands of images measures
/// them once. The file records what it was measured with (<c>key</c>); a file with another key is not used.
/// </summary>
public static class CalibrationRowsFile
{
    private const string KeyField = "key";
    private const string IdsField = "image_ids";
    private const string ModelsField = "base_models";
    private const string AtViewField = "base_scores_at_view";

    public static void Save(string path, CalibrationRows rows, string key)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int n = rows.Count, d = rows.Features[0].Length, k = rows.BaseModels.Count;
        using Tensor features = tensor(rows.Features.SelectMany(f => f).ToArray(), [n, d]);
        using Tensor scores = tensor(rows.BaseScores.SelectMany(s => s).ToArray(), [n, k], float64);
        using Tensor mos = tensor(rows.Mos, float64);
        var metadata = new Dictionary<string, string>
        {
            [KeyField] = key,
            [IdsField] = System.Text.Json.JsonSerializer.Serialize(rows.ImageIds),
            [ModelsField] = System.Text.Json.JsonSerializer.Serialize(rows.BaseModels),
            [AtViewField] = rows.BaseScoresAtView ? "true" : "false",
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        Training.AtomicFile.Write(path, s => SafeTensors.Save(s, new Dictionary<string, Tensor> { ["features"] = features, ["base_scores"] = scores, ["mos"] = mos }, metadata));
    }

    /// <summary>The rows in <paramref name="path"/>, or null when it does not exist or was measured with another key.</summary>
    public static CalibrationRows? TryLoad(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        Dictionary<string, string> metadata = SafeTensors.ReadMetadata(path);
        if (metadata.GetValueOrDefault(KeyField) != key)
        {
            return null;
        }

        Dictionary<string, Tensor> tensors = SafeTensors.Load(path);
        try
        {
            string[] ids = System.Text.Json.JsonSerializer.Deserialize<string[]>(metadata[IdsField])!;
            string[] models = System.Text.Json.JsonSerializer.Deserialize<string[]>(metadata[ModelsField])!;
            float[] features = tensors["features"].data<float>().ToArray();
            double[] scores = tensors["base_scores"].data<double>().ToArray();
            int n = ids.Length, d = features.Length / n, k = models.Length;
            return new CalibrationRows(ids, tensors["mos"].data<double>().ToArray(),
                [.. Enumerable.Range(0, n).Select(i => features[(i * d)..((i + 1) * d)])], models,
                [.. Enumerable.Range(0, n).Select(i => scores[(i * k)..((i + 1) * k)])])
            {
                BaseScoresAtView = metadata.GetValueOrDefault(AtViewField) == "true",
            };
        }
        finally
        {
            foreach (Tensor t in tensors.Values)
            {
                t.Dispose();
            }
        }
    }
}
