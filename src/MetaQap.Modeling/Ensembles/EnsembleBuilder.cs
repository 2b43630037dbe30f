using MetaQap.Imaging.Distortions;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Meta;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Weights;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Ensembles;

/// <summary>
/// Assembles an ensemble folder from trained base-model weights and a meta-learner: weights are copied to
/// <c>weights/&lt;name&gt;.safetensors</c>, hashed, and a validated manifest written. The folder is built under a
/// temporary sibling name and renamed into place at the end, so an interrupted build leaves no half-written ensemble.
/// </summary>
public static class EnsembleBuilder
{
    /// <summary>The meta-learner entry of a fitted stepwise model.</summary>
    public static MetaLearnerEntry Stepwise(MetaLearnerModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new MetaLearnerEntry
        {
            Method = MetaLearnerMethods.StepwiseOls,
            Intercept = model.Intercept,
            Predictors = [.. model.Predictors],
            Coefficients = [.. model.Coefficients],
        };
    }

    /// <summary>The plain average of the named base models (coefficients 1/k, intercept 0).</summary>
    public static MetaLearnerEntry Mean(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentOutOfRangeException.ThrowIfZero(names.Count);
        return new MetaLearnerEntry
        {
            Method = MetaLearnerMethods.Mean,
            Intercept = 0,
            Predictors = [.. names],
            Coefficients = [.. names.Select(_ => 1.0 / names.Count)],
        };
    }

    /// <summary>
    /// Writes the ensemble to <paramref name="outputDirectory"/>, which must not exist or be empty. Every weights file
    /// is strict-loaded into its architecture first, so a wrong pairing fails here, not when a worker loads it.
    /// </summary>
    /// <returns>The manifest written.</returns>
    public static EnsembleManifest Build(
        string outputDirectory,
        IReadOnlyList<BaseModelSource> models,
        MetaLearnerEntry metaLearner,
        EnsembleBuildOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(metaLearner);
        ArgumentNullException.ThrowIfNull(options);
        string target = Path.GetFullPath(outputDirectory);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new IOException($"Output folder {target} already exists and is not empty.");
        }

        foreach (BaseModelSource source in models)
        {
            CheckLoads(source);
        }

        string parent = Path.GetDirectoryName(target) ?? throw new IOException($"Output folder {target} has no parent.");
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(Path.Combine(staging, "weights"));
        try
        {
            var entries = new List<BaseModelEntry>();
            foreach (BaseModelSource source in models)
            {
                string relative = $"weights/{source.Name}.safetensors";
                string copy = Path.Combine(staging, relative);
                File.Copy(source.WeightsFile, copy);
                entries.Add(new BaseModelEntry
                {
                    Name = source.Name,
                    Architecture = source.Architecture,
                    InputSize = source.InputSize,
                    ViewSide = source.ViewSide,
                    QualityHeadHidden = source.QualityHeadHidden,
                    NormalizationMean = source.NormalizationMean,
                    NormalizationStd = source.NormalizationStd,
                    WeightsFile = relative,
                    Sha256 = EnsembleArtifact.Sha256Of(copy),
                    DistortionLabels = source.HasDistortionHead ? [.. DistortionCatalog.All.Select(d => d.Name)] : [],
                    OutputScale = source.OutputScale,
                });
            }

            var manifest = new EnsembleManifest
            {
                Version = options.Version,
                ScoreScale = EnsembleManifest.StandardScoreScale,
                BaseModels = entries,
                MetaLearner = metaLearner,
                Provenance = options.Provenance,
                Metrics = options.Metrics,
                CreatedAt = options.CreatedAt ?? DateTimeOffset.UtcNow,
            };
            EnsembleArtifact.Save(staging, manifest);
            if (Directory.Exists(target))
            {
                Directory.Delete(target); // empty, checked above
            }

            Directory.Move(staging, target);
            return manifest;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static void CheckLoads(BaseModelSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!File.Exists(source.WeightsFile))
        {
            throw new FileNotFoundException($"Weights file of base model '{source.Name}' not found: {source.WeightsFile}", source.WeightsFile);
        }

        using var model = new QualityModel(source.Architecture, qualityHidden: source.QualityHeadHidden ?? 0);
        model.LoadSafeTensorsStrict(source.WeightsFile);
    }
}
