using System.Text.Json.Nodes;
using MetaQap.Modeling.Artifacts;

namespace MetaQap.Modeling.Tests.Artifacts;

/// <summary>A temporary ensemble folder with two seeded weights files and a valid manifest for them.</summary>
internal sealed class ArtifactFolder : IDisposable
{
    public ArtifactFolder()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"metaqap-artifact-tests-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "weights"));
        var random = new Random(42);
        WriteWeights("weights/resnet18.bin", random, 4096);
        WriteWeights("mobilenet_v3_small.bin", random, 1500);
        Manifest = ValidManifest();
    }

    public string Directory { get; }

    public EnsembleManifest Manifest { get; }

    public string ManifestPath => Path.Combine(Directory, EnsembleArtifact.ManifestFileName);

    public string PathOf(string relative) => Path.Combine(Directory, relative);

    public void Save() => EnsembleArtifact.Save(Directory, Manifest);

    /// <summary>Saves the valid manifest, then lets the test edit its JSON text as a node tree.</summary>
    public void SaveEdited(Action<JsonObject> edit)
    {
        Save();
        var root = JsonNode.Parse(File.ReadAllText(ManifestPath))!.AsObject();
        edit(root);
        File.WriteAllText(ManifestPath, root.ToJsonString());
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private void WriteWeights(string relative, Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        File.WriteAllBytes(PathOf(relative), bytes);
    }

    private EnsembleManifest ValidManifest() => new()
    {
        Version = "test-2026.11.24",
        ScoreScale = EnsembleManifest.StandardScoreScale,
        BaseModels =
        [
            new BaseModelEntry
            {
                Name = "resnet18",
                Architecture = "resnet18",
                InputSize = 224,
                NormalizationMean = [0.485, 0.456, 0.406],
                NormalizationStd = [0.229, 0.224, 0.225],
                WeightsFile = "weights/resnet18.bin",
                Sha256 = EnsembleArtifact.Sha256Of(PathOf("weights/resnet18.bin")),
                DistortionLabels = ["gaussian_blur", "lens_blur", "motion_blur"],
                OutputScale = new OutputScale { Scale = 100, Offset = 0 },
            },
            new BaseModelEntry
            {
                Name = "mobilenet_v3_small",
                Architecture = "mobilenet_v3_small",
                InputSize = 192,
                NormalizationMean = [0.5, 0.5, 0.5],
                NormalizationStd = [0.25, 0.25, 0.25],
                WeightsFile = "mobilenet_v3_small.bin",
                Sha256 = EnsembleArtifact.Sha256Of(PathOf("mobilenet_v3_small.bin")),
                DistortionLabels = [],
                OutputScale = new OutputScale { Scale = 50, Offset = 50 },
            },
        ],
        MetaLearner = new MetaLearnerEntry
        {
            Method = MetaLearnerMethods.StepwiseOls,
            Intercept = -1.25,
            Predictors = ["mobilenet_v3_small", "resnet18"],
            Coefficients = [0.375, 0.6875],
        },
        Provenance = new Provenance
        {
            Recipe = "unit-test",
            Command = "metaqap train --recipe unit-test --seed 7",
            TrainingData = ["synthetic:seed=7,images=64", "kadis-style:levels=5"],
            Seed = 7,
            GitCommit = "0123456789abcdef0123456789abcdef01234567",
            Notes = "Made by ArtifactFolder for tests.",
        },
        Metrics = new Dictionary<string, double> { ["srocc"] = 0.875, ["plcc"] = 0.8125, ["rmse"] = 9.5 },
        CreatedAt = new DateTimeOffset(2026, 11, 24, 10, 30, 0, TimeSpan.FromHours(1)),
    };
}
