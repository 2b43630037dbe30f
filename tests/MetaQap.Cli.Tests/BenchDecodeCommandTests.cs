
using MetaQap.Testing;

namespace MetaQap.Cli.Tests;

public sealed class BenchDecodeCommandTests
{
    [Fact]
    public async Task Reports_decode_rates_for_both_sizes_and_the_ensembles_rate()
    {
        string model = Path.Combine(RepositoryPaths.Root, "models", "default");

        (int code, string output, string error) = await CliRunner.RunAsync(
            "bench", "decode", "--model", model, "--seconds", "0.2", "--repeats", "1", "--batch", "2", "--threads", "1");

        Assert.True(code == 0, error);
        Assert.Matches(@"512x512 JPEG \(\d+ KiB\) -> inputs of 1 model, images/s on one core: full-size decode \d+\.\d, decode scaled to shorter side >= 384 \d+\.\d", output);
        Assert.Matches(@"1920x1080 JPEG \(\d+ KiB\) -> inputs of 1 model, images/s on one core: full-size decode \d+\.\d, decode scaled to shorter side >= 384 \d+\.\d", output);
        Assert.Matches(@"ensemble on decoded 512x512 images, batch 2, 1 torch threads: \d+\.\d images/s", output);
    }

    [Fact]
    public async Task A_folder_without_an_ensemble_is_an_input_error()
    {
        (int code, _, string error) = await CliRunner.RunAsync("bench", "decode", "--model", Path.GetTempPath());

        Assert.Equal(3, code);
        Assert.Contains("manifest", error, StringComparison.OrdinalIgnoreCase);
    }
}
