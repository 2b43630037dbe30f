using MetaQap.Modeling.Scoring;

namespace MetaQap.Worker.Scoring;

/// <summary>
/// The service's scorer: the ensemble folder named by <see cref="ModelOptions.Path"/>. The folder is checked here
/// so a wrong path fails start-up with a message that names it. Loading the ensemble itself is
/// <c>EnsemblePredictor</c>'s job (MetaQap.Modeling); until that type is in this build, start-up stops with a
/// message that says so rather than scoring with anything else.
/// </summary>
public sealed class EnsembleScorerFactory : IQualityScorerFactory
{
    public IQualityScorer Create(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string folder = Path.GetFullPath(options.Path);
        if (!Directory.Exists(folder))
        {
            throw new ModelLoadException($"The model folder '{folder}' ({ModelOptions.SectionName}:Path) does not exist.");
        }

        string manifest = Path.Combine(folder, "manifest.json");
        if (!File.Exists(manifest))
        {
            throw new ModelLoadException($"'{folder}' ({ModelOptions.SectionName}:Path) has no manifest.json; it is not an ensemble folder.");
        }

        throw new ModelLoadException(
            $"'{folder}' looks like an ensemble, but this build has no ensemble loader yet (EnsemblePredictor, MetaQap.Modeling).");
    }
}
