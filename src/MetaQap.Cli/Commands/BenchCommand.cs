using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MetaQap.Imaging.Corpus;
using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Metrics;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Pristine;

namespace MetaQap.Cli.Commands;

/// <summary>`metaqap bench`: throughput measurements that the README and docs quote.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure throughput.");
        bench.Subcommands.Add(CreateCorpus());
        bench.Subcommands.Add(BenchDecodeCommand.Create());
        bench.Subcommands.Add(BenchForwardCommand.Create());
        bench.Subcommands.Add(BenchLayoutCommand.Create());
        bench.Subcommands.Add(BenchPredictorCommand.Create());
        return bench;
    }

    private static Command CreateCorpus()
    {
        var sourceSize = new Option<int>("--source-size") { Description = "Side of the pristine source photo.", DefaultValueFactory = _ => 512 };
        var size = new Option<int>("--size") { Description = "Side of the samples.", DefaultValueFactory = _ => 224 };
        var samples = new Option<int>("--samples") { Description = "Samples per repeat.", DefaultValueFactory = _ => 500 };
        var repeats = new Option<int>("--repeats") { Description = "Repeats; the median is reported.", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "Generator threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var labels = new Option<bool>("--labels") { Description = "Also print the mean pseudo-quality of every type at every level." };

        var command = new Command("corpus",
            "Quality-aware corpus samples/s: random crops of a photo-sized pristine source, distorted (all 25 types, 5 levels) and pseudo-labelled.")
        {
            sourceSize, size, samples, repeats, threads, labels,
        };

        command.SetAction((parse, cancellationToken) => Task.Run(() =>
        {
            int n = parse.GetValue(samples), r = parse.GetValue(repeats), side = parse.GetValue(size);
            TextWriter output = parse.InvocationConfiguration.Output;
            string folder = Directory.CreateTempSubdirectory("metaqap-bench-").FullName;
            try
            {
                // One photo-sized pristine image (dead leaves rendered at the source size), cropped like a photo folder is.
                RgbImage photo = new DeadLeavesSource(1, 42).Sample(0, parse.GetValue(sourceSize), 0).Image;
                ImageEncoder.Save(photo, Path.Combine(folder, "source.png"));
                var corpus = new QualityAwareCorpus(new FolderPristineSource(folder),
                    new QualityAwareCorpusOptions { Size = side, Seed = 1, MaxDegreeOfParallelism = parse.GetValue(threads) });

                output.WriteLine($"corpus bench: {photo.Width}x{photo.Height} source -> {side}x{side} samples, " +
                    $"{parse.GetValue(threads)} threads, {Environment.ProcessorCount} cores, {n} samples x {r} repeats");
                var rates = new List<double>();
                for (int repeat = 0; repeat < r; repeat++)
                {
                    long[] indices = Enumerable.Range(0, n).Select(i => (long)(((long)i * 7919) % corpus.Count)).ToArray();
                    var clock = Stopwatch.StartNew();
                    int produced = corpus.Stream(indices, repeat, cancellationToken).Count();
                    rates.Add(produced / clock.Elapsed.TotalSeconds);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  repeat {repeat + 1}: {rates[^1]:F1} samples/s"));
                }

                PrintStages(output, corpus, side, cancellationToken);
                if (parse.GetValue(labels))
                {
                    PrintLabels(output, side, cancellationToken);
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"corpus_samples_per_second_median={Median(rates):F1}"));
                return ExitCodes.Success;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }, cancellationToken));

        return command;
    }

    /// <summary>Single-threaded milliseconds per sample for each stage and each distortion type.</summary>
    private static void PrintStages(TextWriter output, QualityAwareCorpus corpus, int side, CancellationToken cancellationToken)
    {
        RgbImage pristine = corpus.Source.Sample(0, side, 0).Image;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 20; i++)
        {
            corpus.Source.Sample(0, side, i);
        }

        double cropMs = clock.Elapsed.TotalMilliseconds / 20;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  stage pristine crop: {cropMs:F2} ms"));
        clock.Restart();
        for (int i = 0; i < 20; i++)
        {
            FullReferenceMetrics.Measure(pristine, pristine);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  stage FR metrics:    {clock.Elapsed.TotalMilliseconds / 20:F2} ms"));
        foreach (DistortionInfo info in DistortionCatalog.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            clock.Restart();
            for (int level = 1; level <= 5; level++)
            {
                Distorter.Apply(pristine, info.Type, level, level);
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  distortion {info.Name,-28} {clock.Elapsed.TotalMilliseconds / 5:F2} ms"));
        }
    }

    /// <summary>Mean pseudo-quality per type and level over four synthetic contents (same seed at every level).</summary>
    private static void PrintLabels(TextWriter output, int side, CancellationToken cancellationToken)
    {
        var source = new DeadLeavesSource(4, 21);
        RgbImage[] contents = [.. Enumerable.Range(0, 4).Select(i => source.Sample(i, side, 1).Image)];
        output.WriteLine($"  mean pseudo-quality, {contents.Length} dead-leaves contents at {side}x{side}:");
        output.WriteLine($"  {"type",-28} {"L1",6} {"L2",6} {"L3",6} {"L4",6} {"L5",6}");
        foreach (DistortionInfo info in DistortionCatalog.All)
        {
            var line = new System.Text.StringBuilder(string.Create(CultureInfo.InvariantCulture, $"  {info.Name,-28}"));
            for (int level = 1; level <= 5; level++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                double quality = contents.Average(c =>
                    PseudoQuality.FromScores(FullReferenceMetrics.Measure(c, Distorter.Apply(c, info.Type, level, 7))));
                line.Append(CultureInfo.InvariantCulture, $" {quality,6:F1}");
            }

            output.WriteLine(line.ToString());
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
