using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Scoring;

namespace MetaQap.Worker.Scoring;

/// <summary>
/// The service's scorer: the ensemble folder named by <see cref="ModelOptions.Path"/>. The folder is read and
/// checked with <see cref="EnsembleArtifact.Load"/> (manifest format, fields, every weights file's SHA-256), so a
/// wrong or damaged model fails start-up with a message that names the problem. Running the ensemble is
/// <c>EnsemblePredictor</c>'s job (MetaQap.Modeling); until that type is in this build, start-up stops with a
/// message that says so rather than scoring with anything else.
/// </summary>
public sealed class EnsembleScorerFactory : IQualityScorerFactory
{
    public IQualityScorer Create(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string folder = Path.GetFullPath(options.Path);
        EnsembleManifest manifest;
        try
        {
            manifest = EnsembleArtifact.Load(folder);
        }
        catch (ArtifactException e)
        {
            throw new ModelLoadException($"The model in '{folder}' ({ModelOptions.SectionName}:Path) cannot be used: {e.Message}", e);
        }

        throw new ModelLoadException(
            $"'{folder}' holds ensemble {manifest.Version}, but this build has no ensemble predictor yet (EnsemblePredictor, MetaQap.Modeling).");
    }
}
