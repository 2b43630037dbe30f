using System.Globalization;
using System.Text.Json;
using MetaQap.Cli.Commands;
using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Weights;
using static TorchSharp.torch;

namespace MetaQap.Cli.Tests;

/// <summary>fit-meta → eval → score on two randomly initialised resnet10_w32 models at a 64-pixel input.</summary>
public sealed class PredictorCommandsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("metaqap-predictor-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Fit_meta_writes_an_ensemble_with_the_stepwise_coefficients_of_the_predictions()
    {
        string ensemble = await BuildEnsembleAsync();

        EnsembleManifest manifest = EnsembleArtifact.Load(ensemble);

        Assert.Equal(MetaLearnerMethods.StepwiseOls, manifest.MetaLearner.Method);
        Assert.Equal(["a", "b"], manifest.MetaLearner.Predictors);
        Assert.Equal(0.6, manifest.MetaLearner.Coefficients[0], 6);
        Assert.Equal(0.5, manifest.MetaLearner.Coefficients[1], 6);
        Assert.Equal(64, manifest.BaseModels[0].InputSize);
        Assert.True(manifest.Metrics.ContainsKey("oof_srocc"));
        Assert.StartsWith("metaqap fit-meta", manifest.Provenance.Command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fit_meta_rejects_a_malformed_model_argument_as_a_usage_error()
    {
        (int code, _, string error) = await CliRunner.RunAsync("fit-meta", "--model", "a-without-arch", "--out", Path.Combine(_root, "e"),
            "--version", "v1", "--training-data", "x", "--method", "mean");

        Assert.Equal(2, code);
        Assert.Contains("NAME=PATH:ARCH", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_prints_the_metrics_and_writes_json_with_the_documented_keys_and_a_report()
    {
        string ensemble = await BuildEnsembleAsync();
        string dataset = Path.Combine(_root, "mos");
        Directory.CreateDirectory(Path.Combine(dataset, "images"));
        var lines = new List<string> { "image,mos" };
        for (int i = 0; i < 6; i++)
        {
            ImageEncoder.Save(Picture(70 + (i * 7), 64, i), Path.Combine(dataset, "images", $"{i}.png"));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{i}.png,{0.1 + (i * 0.15)}"));
        }

        File.WriteAllLines(Path.Combine(dataset, "mos.csv"), lines);
        string json = Path.Combine(_root, "out", "metrics.json");
        string report = Path.Combine(_root, "out", "report");

        (int code, string output, string error) = await CliRunner.RunAsync("eval", "--model", ensemble, "--dataset", dataset, "--json", json, "--report", report);

        Assert.True(code == 0, error);
        foreach (string key in new[] { "n ", "plcc ", "srocc ", "krocc ", "rmse " })
        {
            Assert.Contains(key, output, StringComparison.Ordinal);
        }

        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(6, metrics.RootElement.GetProperty("n").GetInt32());
        foreach (string key in new[] { "plcc", "srocc", "krocc", "rmse" })
        {
            Assert.True(metrics.RootElement.TryGetProperty(key, out _), key);
        }

        Assert.True(metrics.RootElement.GetProperty("rmse").GetDouble() > 0);
        Assert.True(File.Exists(Path.Combine(report, "scatter.png")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "out"), ".*")); // no temporary files left behind
    }

    [Fact]
    public async Task Score_reports_a_corrupt_file_with_its_code_and_still_scores_the_others()
    {
        string ensemble = await BuildEnsembleAsync();
        string good1 = Path.Combine(_root, "good1.png");
        string bad = Path.Combine(_root, "bad.jpg");
        string good2 = Path.Combine(_root, "good2.png");
        ImageEncoder.Save(Picture(80, 64, 1), good1);
        File.WriteAllBytes(bad, [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x02, 0x03]);
        ImageEncoder.Save(Picture(64, 90, 2), good2);

        (int code, string output, string error) = await CliRunner.RunAsync("score", "--model", ensemble, "--json", good1, bad, good2);

        Assert.Equal(3, code);
        Assert.Contains("1 of 3 files", error, StringComparison.Ordinal);
        using JsonDocument results = JsonDocument.Parse(output);
        JsonElement[] items = [.. results.RootElement.EnumerateArray()];
        Assert.Equal(3, items.Length);
        Assert.InRange(items[0].GetProperty("score").GetDouble(), 0, 100);
        Assert.Equal(3, items[0].GetProperty("distortions").GetArrayLength());
        Assert.Equal(2, items[0].GetProperty("base_scores").EnumerateObject().Count());
        Assert.Contains(items[1].GetProperty("error").GetString(), new[] { "Corrupt", "Truncated" });
        Assert.InRange(items[2].GetProperty("score").GetDouble(), 0, 100);
    }

    [Fact]
    public async Task Score_text_output_has_one_line_per_file_with_score_base_scores_and_distortions()
    {
        string ensemble = await BuildEnsembleAsync();
        string file = Path.Combine(_root, "one.png");
        ImageEncoder.Save(Picture(64, 64, 5), file);

        (int code, string output, string error) = await CliRunner.RunAsync("score", "--model", ensemble, file);

        Assert.True(code == 0, error);
        string line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"score=\d+\.\d\d\tuncertainty=\d+\.\d\d\tbase=a:-?\d+\.\d\d,b:-?\d+\.\d\d\tdistortions=\w+:0\.\d{3},", line);
    }

    private async Task<string> BuildEnsembleAsync()
    {
        string a = SaveRandomModel("a", 1);
        string b = SaveRandomModel("b", 2);
        string oof = Path.Combine(_root, "oof.csv");
        var random = new Random(3);
        var lines = new List<string> { "image_id,mos,a,b" };
        for (int i = 0; i < 40; i++)
        {
            double x = random.NextDouble() * 100, y = random.NextDouble() * 100;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{i}.png,{(0.6 * x) + (0.5 * y) - 4},{x},{y}"));
        }

        File.WriteAllLines(oof, lines);
        string ensemble = Path.Combine(_root, $"ensemble-{Guid.NewGuid():N}");
        (int code, _, string error) = await CliRunner.RunAsync("fit-meta", "--predictions", oof,
            "--model", $"a={a}:resnet10_w32:64", "--model", $"b={b}:resnet10_w32:64",
            "--out", ensemble, "--version", "cli-test", "--training-data", "random initialisation (test)");
        Assert.True(code == 0, error);
        return ensemble;
    }

    private string SaveRandomModel(string name, int seed)
    {
        string file = Path.Combine(_root, $"{name}.safetensors");
        if (File.Exists(file))
        {
            return file;
        }

        using var generator = new Generator((ulong)seed);
        using var model = new QualityModel("resnet10_w32");
        using (no_grad())
        {
            foreach ((string _, TorchSharp.Modules.Parameter p) in model.named_parameters())
            {
                using Tensor values = randn(p.shape, generator: generator) * 0.1;
                p.copy_(values);
            }
        }

        SafeTensors.Save(file, model.state_dict());
        return file;
    }

    private static RgbImage Picture(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image[0, y, x] = (float)x / width;
                image[1, y, x] = (float)random.NextDouble();
                image[2, y, x] = ((x / 4) + (y / 4)) % 2;
            }
        }

        return image;
    }

    // The commands are wired into `metaqap` by MetaQapCommandLine; here they hang off a bare root so these tests
    // exercise exactly the command objects the CLI registers.
}
