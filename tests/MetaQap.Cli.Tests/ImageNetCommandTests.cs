using System.Globalization;
using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.ImageNet;
using MetaQap.Modeling.Weights;

namespace MetaQap.Cli.Tests;

public sealed class ImageNetCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("metaqap-imagenet-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Import_writes_the_weights_with_both_sha256s()
    {
        string output = Path.Combine(_root, "w.safetensors");

        (int code, string stdout, string error) = await CliRunner.RunAsync("imagenet", "import", "--out", output);

        Assert.True(code == 0, error);
        Assert.Contains(ImageNetPackage.OnnxSha256, stdout, StringComparison.Ordinal);
        Assert.Equal(ImageNetPackage.OnnxSha256, SafeTensors.ReadMetadata(output)[ImageNetPackage.SourceSha256Key]);
    }

    [Fact]
    public async Task Import_without_the_package_file_names_the_package_and_exits_with_bad_input()
    {
        (int code, _, string error) = await CliRunner.RunAsync("imagenet", "import", "--onnx", Path.Combine(_root, "missing.onnx"), "--out", Path.Combine(_root, "x"));

        Assert.Equal(3, code);
        Assert.Contains("Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "x")));
    }

    [Fact]
    public async Task Bench_reports_each_cases_work_and_its_share_of_the_matrix_product_ceiling()
    {
        (int code, string stdout, string error) = await CliRunner.RunAsync(
            "imagenet", "bench", "--size", "64", "--batch", "1", "--threads", "1", "--seconds", "0.2");

        Assert.True(code == 0, error);
        Assert.Matches(@"ceiling: float32 1024x1024 matrix product \d+\.\d GFLOP/s", stdout);
        string gmac = (ResNetCntk.MultiplyAccumulates(64, 64) / 1e9).ToString("F2", CultureInfo.InvariantCulture);
        Assert.Matches($@"  64 px  batch  1 +\d+\.\d\d images/s +{gmac} GMAC/image +\d+\.\d GFLOP/s \(\d\.\d\d of the ceiling\)", stdout);
    }
}
