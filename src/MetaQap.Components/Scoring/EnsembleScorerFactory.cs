using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Scoring;

namespace MetaQap.Components.Scoring;

/// <summary>
/// The service's scorer: the <see cref="EnsemblePredictor"/> of the ensemble folder named by
/// <see cref="ModelOptions.Path"/>. Loading checks the manifest format and fields and every weights file's
/// SHA-256, so a wrong or damaged model fails start-up with a message that names the problem.
/// </summary>
public sealed class EnsembleScorerFactory : IQualityScorerFactory
{
    public IQualityScorer Create(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string folder = Path.GetFullPath(options.Path);
        try
        {
            return EnsemblePredictor.Load(folder, new PredictorOptions { Device = options.Device, Threads = options.Threads });
        }
        catch (Exception e) when (e is ArtifactException or InvalidOperationException)
        {
            throw new ModelLoadException($"The model in '{folder}' ({ModelOptions.SectionName}:Path) cannot be used: {e.Message}", e);
        }
    }
}
