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
        return bench;
    }

    private static Command CreateCorpus()
    {
        var sourceSize = new Option<int>("--source-size") { Description = "Side of the pristine source photo.", DefaultValueFactory = _ => 512 };
        var size = new Option<int>("--size") { Description = "Side of the samples.", DefaultValueFactory = _ => 224 };
        var samples = new Option<int>("--samples") { Description = "Samples per repeat.", DefaultValueFactory = _ => 500 };
        var repeats = new Option<int>("--repeats") { Description = "Repeats; the median is reported.", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "Generator threads.", DefaultValueFactory = _ => Environment.ProcessorCount };

        var command = new Command("corpus",
            "Quality-aware corpus samples/s: random crops of a photo-sized pristine source, distorted (all 25 types, 5 levels) and pseudo-labelled.")
        {
            sourceSize, size, samples, repeats, threads,
        };

        command.SetAction((parse, cancellationToken) => Task.Run(() =>
        {
            int n = parse.GetValue(samples), r = parse.GetValue(repeats), side = parse.GetValue(size);
            string folder = Directory.CreateTempSubdirectory("metaqap-bench-").FullName;
            try
            {
                // One photo-sized pristine image (dead leaves rendered at the source size), cropped like a photo folder is.
                RgbImage photo = new DeadLeavesSource(1, 42).Sample(0, parse.GetValue(sourceSize), 0).Image;
                ImageEncoder.Save(photo, Path.Combine(folder, "source.png"));
                var corpus = new QualityAwareCorpus(new FolderPristineSource(folder),
                    new QualityAwareCorpusOptions { Size = side, Seed = 1, MaxDegreeOfParallelism = parse.GetValue(threads) });

                parse.InvocationConfiguration.Output.WriteLine($"corpus bench: {photo.Width}x{photo.Height} source -> {side}x{side} samples, " +
                    $"{parse.GetValue(threads)} threads, {Environment.ProcessorCount} cores, {n} samples x {r} repeats");
                var rates = new List<double>();
                for (int repeat = 0; repeat < r; repeat++)
                {
                    long[] indices = Enumerable.Range(0, n).Select(i => (long)(((long)i * 7919) % corpus.Count)).ToArray();
                    var clock = Stopwatch.StartNew();
                    int produced = corpus.Stream(indices, repeat, cancellationToken).Count();
                    rates.Add(produced / clock.Elapsed.TotalSeconds);
                    parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  repeat {repeat + 1}: {rates[^1]:F1} samples/s"));
                }

                PrintStages(parse.InvocationConfiguration.Output, corpus, side, cancellationToken);
                parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"corpus_samples_per_second_median={Median(rates):F1}"));
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

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
