using System.Globalization;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// Writes a recipe's final ensemble to <c>&lt;out&gt;/ensemble/</c> with <see cref="EnsembleBuilder"/> (built under a
/// temporary name, renamed at the end) and its provenance; an ensemble already there from an earlier invocation
/// is kept, so a re-run of a finished recipe changes nothing.
/// </summary>
internal static class RecipeEnsemble
{
    public const string Folder = "ensemble";

    public static (string Directory, EnsembleManifest Manifest) Build(RecipeRunFolder folder, RecipeConfig config, RecipeInvocation invocation,
        IReadOnlyList<BaseModelSource> models, MetaLearnerEntry metaLearner, IReadOnlyList<string> trainingData,
        IReadOnlyDictionary<string, double> metrics, RecipeLog log)
    {
        string directory = folder.PathOf(Folder);
        if (File.Exists(Path.Combine(directory, EnsembleArtifact.ManifestFileName)))
        {
            log.Line($"ensemble: {directory} is complete, kept");
            return (directory, EnsembleArtifact.Load(directory));
        }

        double wall = folder.Clock.TotalSeconds;
        var options = new EnsembleBuildOptions
        {
            Version = string.Create(CultureInfo.InvariantCulture, $"{config.Name}-{DateTime.UtcNow:yyyy.MM.dd}"),
            Metrics = metrics,
            Provenance = new Provenance
            {
                Recipe = config.Name,
                Command = invocation.Command,
                TrainingData = trainingData,
                Seed = config.Seed,
                GitCommit = invocation.GitCommit,
                Notes = string.Create(CultureInfo.InvariantCulture,
                    $"wall time {wall:F0} s on {Environment.ProcessorCount} cores ({MachineInfo.CpuModel()}), threads {config.Threads}; config: recipe.json next to this folder"),
            },
        };
        EnsembleManifest manifest = EnsembleBuilder.Build(directory, models, metaLearner, options);
        log.Line($"ensemble: written to {directory}");
        return (directory, manifest);
    }
}
