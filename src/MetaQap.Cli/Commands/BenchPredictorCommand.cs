using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Ensembles;

namespace MetaQap.Cli.Commands;

/// <summary>
/// <c>metaqap bench predictor</c>: the bare <see cref="EnsemblePredictor"/> on already-decoded images, in batches of
/// the worker's size with the worker's thread count: the denominator of the pipeline efficiency (issue 7, item 1;
/// tools/bench/pipeline.sh puts the worker's end-to-end rate over it). Images are decoded as the worker decodes
/// them (scaled to the model's view side) before timing starts.
/// </summary>
internal static class BenchPredictorCommand
{
    public static Command Create()
    {
        var images = new Option<DirectoryInfo>("--images") { Description = "Folder of PNG/JPEG images (the job's images).", Required = true };
        var model = new Option<DirectoryInfo>("--model") { Description = "Ensemble folder.", DefaultValueFactory = _ => new DirectoryInfo("models/default") };
        var batch = new Option<int>("--batch") { Description = "Images per Score call (the worker's MaxBatchSize).", DefaultValueFactory = _ => 16 };
        var threads = new Option<int>("--threads") { Description = "Torch threads (the worker's MetaQap:Model:Threads).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seconds = new Option<double>("--seconds") { Description = "Seconds per repeat.", DefaultValueFactory = _ => 5 };
        var repeats = new Option<int>("--repeats") { Description = "Repeats; the median is reported.", DefaultValueFactory = _ => 3 };
        var command = new Command("predictor", "Bare EnsemblePredictor images/s on decoded images (the pipeline efficiency's denominator).")
        {
            images, model, batch, threads, seconds, repeats,
        };

        command.SetAction((parse, cancellationToken) => Task.Run(() =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            using EnsemblePredictor predictor = EnsemblePredictor.Load(parse.GetValue(model)!.FullName, new PredictorOptions { Threads = parse.GetValue(threads) });
            var decode = new DecodeOptions { MinShorterSide = predictor.DecodeShorterSide };
            RgbImage[] decoded = [.. parse.GetValue(images)!.EnumerateFiles()
                .Where(f => f.Extension is ".png" or ".jpg" or ".jpeg")
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => ImageDecoder.DecodeFile(f.FullName, decode))];
            if (decoded.Length == 0)
            {
                parse.InvocationConfiguration.Error.WriteLine("error: no .png/.jpg images in --images");
                return ExitCodes.InputError;
            }

            int n = parse.GetValue(batch);
            var rates = new List<double>();
            var cpu = new List<double>();
            for (int r = 0; r < parse.GetValue(repeats); r++)
            {
                (double rate, double cpuMs) = Rate(predictor, decoded, n, parse.GetValue(seconds), cancellationToken);
                rates.Add(rate);
                cpu.Add(cpuMs);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  repeat {r + 1}: {rate:F2} images/s, {cpuMs:F1} CPU ms/image, {BenchClock.Load()}"));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"predictor_images_per_s={BenchClock.Median(rates):F2} cpu_ms_per_image={BenchClock.Median(cpu):F2} batch={n} threads={parse.GetValue(threads)} images={decoded.Length}"));
            return ExitCodes.Success;
        }, cancellationToken));

        return command;
    }

    /// <summary>
    /// Images/s and process CPU milliseconds per image over consecutive batches of the decoded images (wrapping
    /// around), after one warm-up batch. CPU time is what the worker's CPU per image is compared with: on a shared
    /// machine wall time also counts the moments the process was not running.
    /// </summary>
    private static (double Rate, double CpuMs) Rate(EnsemblePredictor predictor, RgbImage[] images, int batch, double seconds, CancellationToken cancellationToken)
    {
        var buffer = new RgbImage[batch];
        int next = 0;
        void Fill()
        {
            for (int i = 0; i < batch; i++)
            {
                buffer[i] = images[next];
                next = (next + 1) % images.Length;
            }
        }

        Fill();
        predictor.Score(buffer, cancellationToken);
        long done = 0;
        using Process self = Process.GetCurrentProcess();
        TimeSpan cpuBefore = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            Fill();
            predictor.Score(buffer, cancellationToken);
            done += batch;
        }

        double elapsed = clock.Elapsed.TotalSeconds;
        self.Refresh();
        return (done / elapsed, (self.TotalProcessorTime - cpuBefore).TotalMilliseconds / done);
    }
}
