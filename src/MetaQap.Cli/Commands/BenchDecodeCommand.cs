using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Preprocessing;
using MetaQap.Imaging.Pristine;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;

namespace MetaQap.Cli.Commands;

/// <summary>
/// <c>metaqap bench decode</c>: how many JPEGs one core turns into model input per second (decode, view scaling,
/// centre crop, normalisation: the worker's CPU work per image), next to how many the ensemble consumes, so it can
/// be seen whether decoding could ever be the bottleneck (issue 7, item 3).
/// </summary>
internal static class BenchDecodeCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Ensemble folder whose inputs are prepared and whose speed is compared.", DefaultValueFactory = _ => new DirectoryInfo("models/default") };
        var seconds = new Option<double>("--seconds") { Description = "Seconds per repeat.", DefaultValueFactory = _ => 5 };
        var repeats = new Option<int>("--repeats") { Description = "Repeats; the median is reported.", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass for the model's rate.", DefaultValueFactory = _ => 8 };
        var threads = new Option<int>("--threads") { Description = "Torch threads for the model's rate.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("decode", "JPEG decode + preprocessing images/s on one core (512x512 and 1920x1080) vs the ensemble's images/s.")
        {
            model, seconds, repeats, batch, threads,
        };

        command.SetAction((parse, cancellationToken) => Task.Run(() =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            string folder = parse.GetValue(model)!.FullName;
            EnsembleManifest manifest;
            try
            {
                manifest = EnsembleArtifact.Load(folder);
            }
            catch (ArtifactException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InputError;
            }

            double perRepeat = parse.GetValue(seconds);
            int r = parse.GetValue(repeats);
            output.WriteLine($"decode bench: {manifest.Version}, {Environment.ProcessorCount} cores, median of {r} repeats of {perRepeat} s");
            // What the worker asks the decoder for (EnsemblePredictor.DecodeShorterSide): the largest view side.
            int decodeSide = manifest.BaseModels.Max(m => m.ViewSide ?? m.InputSize);
            var scaled = new DecodeOptions { MinShorterSide = decodeSide };
            foreach ((int width, int height) in new[] { (512, 512), (1920, 1080) })
            {
                byte[] jpeg = TestJpeg(width, height);
                // Interleaved (full, scaled, full, …) so that machine noise hits both sides of the comparison.
                var full = new List<double>();
                var reduced = new List<double>();
                for (int i = 0; i < r; i++)
                {
                    full.Add(PrepareRate(jpeg, DecodeOptions.Default, manifest.BaseModels, perRepeat, cancellationToken));
                    reduced.Add(PrepareRate(jpeg, scaled, manifest.BaseModels, perRepeat, cancellationToken));
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {width}x{height} JPEG ({jpeg.Length / 1024} KiB) -> inputs of {manifest.BaseModels.Count} model{(manifest.BaseModels.Count == 1 ? "" : "s")}, images/s on one core: full-size decode {BenchClock.Median(full):F1}, decode scaled to shorter side >= {decodeSide} {BenchClock.Median(reduced):F1} ({BenchClock.Load()})"));
            }

            using EnsemblePredictor predictor = EnsemblePredictor.Load(folder, new PredictorOptions { Threads = parse.GetValue(threads) });
            int n = parse.GetValue(batch);
            RgbImage[] images = [.. Enumerable.Repeat(ImageDecoder.Decode(TestJpeg(512, 512)), n)];
            double modelRate = BenchClock.Median([.. Enumerable.Range(0, r).Select(_ => ModelRate(predictor, images, perRepeat, cancellationToken))]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  ensemble on decoded 512x512 images, batch {n}, {parse.GetValue(threads)} torch threads: {modelRate:F1} images/s"));
            return ExitCodes.Success;
        }, cancellationToken));

        return command;
    }

    /// <summary>A photo-like test image (dead leaves) as a quality-90 JPEG.</summary>
    private static byte[] TestJpeg(int width, int height)
    {
        RgbImage square = new DeadLeavesSource(1, 7).Sample(0, Math.Max(width, height), 0).Image;
        return ImageEncoder.EncodeJpeg(ImageResampler.Crop(square, 0, 0, width, height), 90);
    }

    /// <summary>Images/s of the worker's per-image CPU path, on the calling thread only.</summary>
    private static double PrepareRate(byte[] jpeg, DecodeOptions decode, IReadOnlyList<BaseModelEntry> models, double seconds, CancellationToken cancellationToken)
    {
        // Built once, as the worker's runners build theirs once per model.
        ChannelNormalization[] normalizations = [.. models.Select(entry => new ChannelNormalization(
            [.. entry.NormalizationMean.Select(v => (float)v)], [.. entry.NormalizationStd.Select(v => (float)v)]))];
        int done = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RgbImage image = ImageDecoder.Decode(jpeg, decode);
            for (int m = 0; m < models.Count; m++)
            {
                RgbImage crop = ScoringPreprocessor.Crop(image, models[m].InputSize, models[m].ViewSide);
                _ = ScoringPreprocessor.ToBatch([crop], models[m].InputSize, normalizations[m]);
            }

            done++;
        }

        return done / clock.Elapsed.TotalSeconds;
    }

    private static double ModelRate(EnsemblePredictor predictor, RgbImage[] images, double seconds, CancellationToken cancellationToken)
    {
        predictor.Score(images, cancellationToken); // warm-up
        int done = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            predictor.Score(images, cancellationToken);
            done += images.Length;
        }

        return done / clock.Elapsed.TotalSeconds;
    }
}
