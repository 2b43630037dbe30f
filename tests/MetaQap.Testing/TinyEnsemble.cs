using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Weights;
using static TorchSharp.torch;

namespace MetaQap.Testing;

/// <summary>
/// A temporary folder with two randomly initialised resnet10_w32 QualityModels saved as safetensors ("a", "b") and
/// an ensemble built from them at a small input size, so tests run in well under a second per batch on CPU.
/// </summary>
public sealed class TinyEnsemble : IDisposable
{
    public const int InputSize = 64;

    public TinyEnsemble(MetaLearnerEntry? metaLearner = null, bool secondHasDistortionHead = true)
    {
        Root = System.IO.Directory.CreateTempSubdirectory("metaqap-ensemble-tests-").FullName;
        Sources =
        [
            Source("a", seed: 1, hasHead: true),
            Source("b", seed: 2, hasHead: secondHasDistortionHead),
        ];
        EnsembleBuilder.Build(Directory, Sources, metaLearner ?? EnsembleBuilder.Mean(["a", "b"]), Options);
    }

    public string Root { get; }

    public string Directory => Path.Combine(Root, "ensemble");

    public IReadOnlyList<BaseModelSource> Sources { get; }

    public static EnsembleBuildOptions Options { get; } = new()
    {
        Version = "tiny-test",
        Provenance = new Provenance
        {
            Recipe = "test",
            Command = "TinyEnsemble",
            TrainingData = ["none: random initialisation"],
            Seed = 1,
            GitCommit = "unknown",
        },
    };

    public void Dispose() => System.IO.Directory.Delete(Root, recursive: true);

    /// <summary>A deterministic test picture: gradients, a checkerboard and a seeded noise field.</summary>
    public static RgbImage Picture(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new RgbImage(width, height);
        double phase = random.NextDouble() * 6;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image[0, y, x] = (float)x / width;
                image[1, y, x] = (float)(0.5 + (0.5 * Math.Sin(phase + (y * 0.2))));
                image[2, y, x] = (((x / 5) + (y / 5)) % 2 * 0.6f) + (float)(random.NextDouble() * 0.4);
            }
        }

        return image;
    }

    private BaseModelSource Source(string name, int seed, bool hasHead)
    {
        string file = Path.Combine(Root, $"{name}.safetensors");
        using (var generator = new Generator((ulong)seed))
        using (var model = new QualityModel("resnet10_w32"))
        using (no_grad())
        {
            // Re-draw every parameter from a seeded generator so the two models differ and outputs vary per image.
            foreach ((string _, TorchSharp.Modules.Parameter p) in model.named_parameters())
            {
                using Tensor values = randn(p.shape, generator: generator) * 0.1;
                p.copy_(values);
            }

            Dictionary<string, Tensor> state = model.state_dict();
            SafeTensors.Save(file, state);
        }

        // Scale 100 and offset 50 keep random-model outputs near the middle of 0–100 rather than clamped at 0.
        return new BaseModelSource(name, file, "resnet10_w32", InputSize)
        {
            OutputScale = new OutputScale { Scale = 100, Offset = 50 },
            HasDistortionHead = hasHead,
        };
    }
}
