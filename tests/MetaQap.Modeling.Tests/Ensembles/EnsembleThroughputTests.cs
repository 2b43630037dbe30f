using System.Diagnostics;
using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Weights;
using MetaQap.Testing;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Ensembles;

/// <summary>
/// Measures end-to-end <see cref="EnsemblePredictor.Score"/> throughput (preprocessing included) of a two-model
/// resnet10_w32 ensemble at 224 px, batch 8, 2 torch threads. Opt-in (METAQAP_BENCH=1) because it takes ~30 s:
/// <c>METAQAP_BENCH=1 dotnet test tests/MetaQap.Modeling.Tests -c Release --filter FullyQualifiedName~EnsembleThroughput --logger "console;verbosity=detailed"</c>
/// </summary>
public sealed class EnsembleThroughputTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("metaqap-ensemble-bench-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [SkippableFact]
    public void Two_resnet10_w32_models_score_batches_of_8_on_2_threads()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("METAQAP_BENCH") == "1", "set METAQAP_BENCH=1 to run the throughput measurement");
        var sources = new List<BaseModelSource>();
        foreach (string name in new[] { "a", "b" })
        {
            string file = Path.Combine(_root, $"{name}.safetensors");
            using (var model = new QualityModel("resnet10_w32"))
            {
                SafeTensors.Save(file, model.state_dict());
            }

            sources.Add(new BaseModelSource(name, file, "resnet10_w32", 224));
        }

        string folder = Path.Combine(_root, "ensemble");
        EnsembleBuilder.Build(folder, sources, EnsembleBuilder.Mean(["a", "b"]), TinyEnsemble.Options);
        using var predictor = EnsemblePredictor.Load(folder, new PredictorOptions { Threads = 2 });
        RgbImage[] batch = [.. Enumerable.Range(0, 8).Select(i => TinyEnsemble.Picture(512, 384, i))];
        predictor.Score(batch); // warm-up

        int images = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            predictor.Score(batch);
            images += batch.Length;
        }

        double rate = images / clock.Elapsed.TotalSeconds;
        output.WriteLine($"ensemble of 2 x resnet10_w32 @224, batch 8, 512x384 inputs, {get_num_threads()} threads: {rate:F1} images/s ({images} images in {clock.Elapsed.TotalSeconds:F1} s)");
        Assert.True(rate > 0);
    }
}
