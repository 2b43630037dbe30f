using System.Globalization;
using System.Text.RegularExpressions;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Pristine;
using MetaQap.Modeling.Backbones;
using MetaQap.Testing;

namespace MetaQap.Cli.Tests;

public sealed class BenchPredictorCommandTests
{
    private static readonly string Model = Path.Combine(RepositoryPaths.Root, "models", "default");

    [Fact]
    public async Task Reports_the_bare_predictor_rate_on_the_folders_images()
    {
        string folder = Directory.CreateTempSubdirectory("metaqap-bench-predictor-").FullName;
        try
        {
            for (int i = 0; i < 3; i++)
            {
                ImageEncoder.Save(new DeadLeavesSource(1, i).Sample(0, 200, 0).Image, Path.Combine(folder, $"{i}.png"));
            }

            (int code, string output, string error) = await CliRunner.RunAsync(
                "bench", "predictor", "--images", folder, "--model", Model, "--batch", "2", "--threads", "1", "--seconds", "0.2", "--repeats", "1");

            Assert.True(code == 0, error);
            Assert.Matches(@"predictor_images_per_s=\d+\.\d\d cpu_ms_per_image=\d+\.\d\d batch=2 threads=1 images=3", output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_folder_without_images_is_an_input_error()
    {
        string folder = Directory.CreateTempSubdirectory("metaqap-bench-predictor-").FullName;
        try
        {
            (int code, _, string error) = await CliRunner.RunAsync("bench", "predictor", "--images", folder, "--model", Model);

            Assert.Equal(3, code);
            Assert.Contains("no .png/.jpg images", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Needs Debian's python3-torch and python3-torchvision (not on CI, where it is skipped).</summary>
    [SkippableFact]
    public async Task Forward_bench_runs_the_same_network_in_pytorch_and_torchsharp()
    {
        Skip.IfNot(ParityCheck.PythonHasTorchvision("/usr/bin/python3"), "/usr/bin/python3 with torch and torchvision is not installed.");

        (int code, string output, string error) = await CliRunner.RunAsync(
            "bench", "forward", "--model", Model, "--only", "rank-pool-384", "--sizes", "64", "--batch", "2", "--threads", "1", "--seconds", "0.2", "--repeats", "1");

        Assert.True(code == 0, error);
        // TorchSharp as loaded, as the worker runs it (BatchNorm folded), PyTorch, the two ratios, then both max abs diffs.
        // The shipped default's ImageNet trunk and rank head (PyTorch: tools/experiments/cntk_torch.py's graph), at 64 px.
        Match row = Regex.Match(output, @"\| \S+/rank-pool-384 \(resnet18_cntk\) \| 64 \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| (\S+) / (\S+) \(");
        Assert.True(row.Success, output);
        // Same weights and input on both sides: the outputs agree to float32 rounding (parity tolerance 1e-4).
        Assert.InRange(double.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture), 0, 1e-4);
        Assert.InRange(double.Parse(row.Groups[2].Value, CultureInfo.InvariantCulture), 0, 1e-4);
    }
}
