using System.Globalization;
using System.Text.RegularExpressions;

namespace MetaQap.Cli.Tests;

public sealed class BenchLayoutCommandTests
{
    [Fact]
    public async Task Layout_bench_times_both_layouts_of_the_same_network_and_they_agree()
    {
        (int code, string output, string error) = await CliRunner.RunAsync(
            "bench", "layout", "--arch", "resnet18_cntk", "mobilenet_v3_small", "--sizes", "64", "--batch", "2", "--threads", "1", "--seconds", "0.2", "--repeats", "1");

        Assert.True(code == 0, error);
        foreach (string arch in new[] { "resnet18_cntk", "mobilenet_v3_small" })
        {
            Match row = Regex.Match(output, $@"\| {arch} \| 64 \| ([\d.]+) \| ([\d.]+) \| [\d.]+ \| (\S+) \(");
            Assert.True(row.Success, output);
            Assert.True(double.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture) > 0, output);
            Assert.True(double.Parse(row.Groups[2].Value, CultureInfo.InvariantCulture) > 0, output);
            // The same folded weights in two layouts: float32 rounding only.
            Assert.InRange(double.Parse(row.Groups[3].Value, CultureInfo.InvariantCulture), 0, 1e-4);
        }
    }

    [Fact]
    public async Task An_unknown_architecture_is_refused_with_the_known_ones()
    {
        (int code, _, string error) = await CliRunner.RunAsync("bench", "layout", "--arch", "resnet19");

        Assert.NotEqual(0, code);
        Assert.Contains("unknown architecture 'resnet19'", error, StringComparison.Ordinal);
        Assert.Contains("resnet18_cntk", error, StringComparison.Ordinal);
    }
}
