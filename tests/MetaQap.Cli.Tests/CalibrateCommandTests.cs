using System.Globalization;
using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Pristine;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Calibration;
using MetaQap.Testing;

namespace MetaQap.Cli.Tests;

/// <summary>`metaqap calibrate` and `calibrate curve` on the shipped default model and ratings of blur written by the test.</summary>
public sealed class CalibrateCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("metaqap-calibrate-cli-").FullName;

    private static string DefaultModel => Path.Combine(RepositoryPaths.Root, "models", "default");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Calibrate_writes_an_ensemble_on_the_ratings_scale_that_eval_scores()
    {
        string ratings = Ratings("ratings", scenes: 8);
        string output = Path.Combine(_root, "calibrated");

        (int code, string stdout, string error) = await CliRunner.RunAsync("calibrate", "--model", DefaultModel, "--dataset", ratings,
            "--out", output, "--view-side", "64", "--version", "default-cal-test");

        Assert.True(code == 0, error);
        Assert.Contains("calibrated: 40 rated images", stdout, StringComparison.Ordinal);
        EnsembleManifest manifest = EnsembleArtifact.Load(output);
        Assert.Equal((MetaLearnerMethods.CalibratedRidge, "default-cal-test"), (manifest.MetaLearner.Method, manifest.Version));
        Assert.StartsWith("metaqap calibrate", manifest.Provenance.Command, StringComparison.Ordinal);
        (code, stdout, error) = await CliRunner.RunAsync("eval", "--model", output, "--dataset", ratings);
        Assert.True(code == 0, error);
        double srocc = double.Parse(stdout.Split('\n').Single(l => l.StartsWith("srocc", StringComparison.Ordinal))[5..].Trim(), CultureInfo.InvariantCulture);
        Assert.True(srocc > 0.9, stdout);
        // Each member's own agreement, in the ensemble's order: the source's rank head, then the calibration head.
        string[] members = [.. stdout.Split('\n').Where(l => l.StartsWith("base ", StringComparison.Ordinal)).Select(l => l[5..].Trim().Split(':')[0])];
        Assert.Equal([.. manifest.BaseModels.Select(m => m.Name)], members);
    }

    [Fact]
    public async Task Bad_ratings_and_options_fail_with_their_codes_and_write_nothing()
    {
        string flat = Ratings("flat", scenes: 8, constant: true);
        string output = Path.Combine(_root, "never");

        (int code, _, string error) = await CliRunner.RunAsync("calibrate", "--model", DefaultModel, "--dataset", flat, "--out", output, "--view-side", "64");
        Assert.Equal(3, code);
        Assert.Contains(nameof(CalibrationErrorCode.ConstantScores), error, StringComparison.Ordinal);

        (code, _, error) = await CliRunner.RunAsync("calibrate", "--model", DefaultModel, "--dataset", Ratings("few", scenes: 4), "--out", output, "--view-side", "64");
        Assert.Equal(3, code);
        Assert.Contains(nameof(CalibrationErrorCode.TooFewImages), error, StringComparison.Ordinal);

        (code, _, error) = await CliRunner.RunAsync("calibrate", "--model", DefaultModel, "--dataset", flat, "--out", output, "--view-side", "100");
        Assert.Equal(2, code);
        Assert.Contains("multiple of 32", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Curve_measures_once_then_refits_from_the_cache()
    {
        string ratings = Ratings("curve", scenes: 10);
        string cache = Path.Combine(_root, "curve.safetensors");
        string[] arguments = ["calibrate", "curve", "--model", DefaultModel, "--dataset", ratings, "--sizes", "30", "--draws", "2",
            "--cache", cache, "--view-side", "64"];

        (int code, string first, string error) = await CliRunner.RunAsync(arguments);
        Assert.True(code == 0, error);
        Assert.Contains("measured 50 images", first, StringComparison.Ordinal);
        Assert.Contains("| 30 | ", first, StringComparison.Ordinal);
        (code, string second, error) = await CliRunner.RunAsync(arguments);
        Assert.True(code == 0, error);
        Assert.Contains("read from", second, StringComparison.Ordinal);
        // The default's head alone, read from the calibration's trunk pass (a fact the cache keeps), is the baseline.
        string baseline = first.Split('\n').Single(l => l.StartsWith("base ", StringComparison.Ordinal));
        Assert.Matches(@"^base rank-pool-384 alone \(at the calibration's 64-px view\), all 50 images: SROCC -?[\d.]+, PLCC -?[\d.]+", baseline);
        Assert.Contains(baseline, second, StringComparison.Ordinal);
        // The same rows and seeds give the same table.
        Assert.Equal(first.Split('\n').Single(l => l.StartsWith("| 30 |", StringComparison.Ordinal)).Split('|')[2],
            second.Split('\n').Single(l => l.StartsWith("| 30 |", StringComparison.Ordinal)).Split('|')[2]);
    }

    /// <summary>Scenes × 5 Gaussian-blur levels at 96 px, MOS falling with blur (or all 0.5).</summary>
    private string Ratings(string name, int scenes, bool constant = false)
    {
        string folder = Path.Combine(_root, name);
        Directory.CreateDirectory(Path.Combine(folder, "images"));
        var source = new DeadLeavesSource(scenes, 5);
        var lines = new List<string> { "image,mos" };
        for (int c = 0; c < scenes; c++)
        {
            RgbImage pristine = source.Sample(c, 96, c).Image;
            for (int level = 1; level <= 5; level++)
            {
                string file = $"c{c:D2}_l{level}.png";
                ImageEncoder.Save(Distorter.Apply(pristine, DistortionType.GaussianBlur, level, c), Path.Combine(folder, "images", file));
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{file},{(constant ? 0.5 : 1 - ((level - 1) / 4.0)):F2}"));
            }
        }

        File.WriteAllLines(Path.Combine(folder, "mos.csv"), lines);
        return folder;
    }
}
