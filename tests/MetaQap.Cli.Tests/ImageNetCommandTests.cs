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
}
