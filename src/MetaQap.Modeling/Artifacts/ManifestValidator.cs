using System.Text.RegularExpressions;

namespace MetaQap.Modeling.Artifacts;

/// <summary>
/// The rules a deserialized manifest must meet beyond its JSON shape; the first broken rule is thrown with the JSON
/// path of the field. Weights files are checked separately (they need the folder).
/// </summary>
internal static partial class ManifestValidator
{
    public static void Validate(EnsembleManifest manifest)
    {
        if (manifest.FormatVersion != EnsembleManifest.CurrentFormatVersion)
        {
            throw new ArtifactException(
                ArtifactErrorCode.UnsupportedFormatVersion,
                $"manifest format {manifest.FormatVersion} cannot be written; this build writes format {EnsembleManifest.CurrentFormatVersion}.",
                "$.format_version");
        }

        RequireIdentifier(manifest.Version, "$.version");
        RequireText(manifest.ScoreScale, "$.score_scale");
        if (manifest.CreatedAt == default)
        {
            throw Invalid("is not set", "$.created_at");
        }

        ValidateBaseModels(manifest.BaseModels);
        ValidateMetaLearner(manifest.MetaLearner, manifest.BaseModels);
        ValidateProvenance(manifest.Provenance);
        RequireNotNull(manifest.Metrics, "$.metrics");
        foreach (var (name, value) in manifest.Metrics)
        {
            RequireText(name, "$.metrics");
            RequireFinite(value, $"$.metrics.{name}");
        }
    }

    private static void ValidateBaseModels(IReadOnlyList<BaseModelEntry> models)
    {
        RequireNotNull(models, "$.base_models");
        if (models.Count == 0)
        {
            throw Invalid("must list at least one base model", "$.base_models");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < models.Count; i++)
        {
            var path = $"$.base_models[{i}]";
            var model = models[i];
            RequireNotNull(model, path);
            RequireIdentifier(model.Name, $"{path}.name");
            if (!names.Add(model.Name))
            {
                throw Invalid($"repeats the base model name '{model.Name}'", $"{path}.name");
            }

            RequireText(model.Architecture, $"{path}.architecture");
            if (model.InputSize <= 0)
            {
                throw Invalid($"must be a positive number of pixels, got {model.InputSize}", $"{path}.input_size");
            }

            if (model.QualityHeadHidden is { } hidden && hidden is < 1 or > 65536)
            {
                throw Invalid($"must be between 1 and 65536 when present, got {hidden}", $"{path}.quality_head_hidden");
            }

            if (model.ViewSide is { } view && view < model.InputSize)
            {
                throw Invalid($"must be at least input_size ({model.InputSize}), got {view}", $"{path}.view_side");
            }

            RequireChannels(model.NormalizationMean, $"{path}.normalization_mean", positive: false);
            RequireChannels(model.NormalizationStd, $"{path}.normalization_std", positive: true);
            RequireText(model.WeightsFile, $"{path}.weights_file");
            if (WeightsPath.Problem(model.WeightsFile) is { } problem)
            {
                throw Invalid($"'{model.WeightsFile}' {problem}", $"{path}.weights_file");
            }

            RequireText(model.Sha256, $"{path}.sha256");
            if (!Sha256Hex().IsMatch(model.Sha256))
            {
                throw Invalid($"must be 64 lowercase hex digits, got '{model.Sha256}'", $"{path}.sha256");
            }

            RequireDistinctTexts(model.DistortionLabels, $"{path}.distortion_labels");
            RequireNotNull(model.OutputScale, $"{path}.output_scale");
            RequireFinite(model.OutputScale.Offset, $"{path}.output_scale.offset");
            RequireFinite(model.OutputScale.Scale, $"{path}.output_scale.scale");
            if (model.OutputScale.Scale == 0)
            {
                throw Invalid("must not be 0", $"{path}.output_scale.scale");
            }
        }
    }

    private static void ValidateMetaLearner(MetaLearnerEntry metaLearner, IReadOnlyList<BaseModelEntry> models)
    {
        RequireNotNull(metaLearner, "$.meta_learner");
        RequireText(metaLearner.Method, "$.meta_learner.method");
        if (!MetaLearnerMethods.IsKnown(metaLearner.Method))
        {
            throw Invalid(
                $"'{metaLearner.Method}' is not '{MetaLearnerMethods.StepwiseOls}', '{MetaLearnerMethods.Mean}' or '{MetaLearnerMethods.CalibratedRidge}'",
                "$.meta_learner.method");
        }

        RequireFinite(metaLearner.Intercept, "$.meta_learner.intercept");
        RequireDistinctTexts(metaLearner.Predictors, "$.meta_learner.predictors");
        RequireNotNull(metaLearner.Coefficients, "$.meta_learner.coefficients");
        if (metaLearner.Predictors.Count == 0)
        {
            throw Invalid("must name at least one base model", "$.meta_learner.predictors");
        }

        if (metaLearner.Coefficients.Count != metaLearner.Predictors.Count)
        {
            throw Invalid(
                $"has {metaLearner.Coefficients.Count} values for {metaLearner.Predictors.Count} predictors",
                "$.meta_learner.coefficients");
        }

        for (var i = 0; i < metaLearner.Predictors.Count; i++)
        {
            var predictor = metaLearner.Predictors[i];
            if (!models.Any(m => string.Equals(m.Name, predictor, StringComparison.Ordinal)))
            {
                throw new ArtifactException(
                    ArtifactErrorCode.UnknownPredictor,
                    $"manifest.json $.meta_learner.predictors[{i}] names '{predictor}', which is not a base model (base models: {string.Join(", ", models.Select(m => m.Name))}).",
                    $"$.meta_learner.predictors[{i}]");
            }

            RequireFinite(metaLearner.Coefficients[i], $"$.meta_learner.coefficients[{i}]");
        }
    }

    private static void ValidateProvenance(Provenance provenance)
    {
        RequireNotNull(provenance, "$.provenance");
        RequireText(provenance.Recipe, "$.provenance.recipe");
        RequireText(provenance.Command, "$.provenance.command");
        RequireText(provenance.GitCommit, "$.provenance.git_commit");
        RequireDistinctTexts(provenance.TrainingData, "$.provenance.training_data");
        if (provenance.TrainingData.Count == 0)
        {
            throw Invalid("must describe at least one data source", "$.provenance.training_data");
        }
    }

    private static void RequireChannels(IReadOnlyList<double> values, string path, bool positive)
    {
        RequireNotNull(values, path);
        if (values.Count != 3)
        {
            throw Invalid($"must hold 3 values (R, G, B), got {values.Count}", path);
        }

        for (var c = 0; c < values.Count; c++)
        {
            RequireFinite(values[c], $"{path}[{c}]");
            if (positive && values[c] <= 0)
            {
                throw Invalid($"must be > 0, got {values[c].ToString(System.Globalization.CultureInfo.InvariantCulture)}", $"{path}[{c}]");
            }
        }
    }

    private static void RequireDistinctTexts(IReadOnlyList<string> values, string path)
    {
        RequireNotNull(values, path);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            RequireText(values[i], $"{path}[{i}]");
            if (!seen.Add(values[i]))
            {
                throw Invalid($"repeats '{values[i]}'", $"{path}[{i}]");
            }
        }
    }

    /// <summary>Whether <paramref name="value"/> may be a version or base-model name.</summary>
    internal static bool IsIdentifier(string? value) => value is not null && Identifier().IsMatch(value);

    /// <exception cref="ArtifactException">Not a valid version or base-model name.</exception>
    internal static void RequireIdentifier(string value, string path)
    {
        RequireText(value, path);
        if (!IsIdentifier(value))
        {
            throw Invalid($"'{value}' may only contain letters, digits, '.', '_' and '-' and must start with a letter or digit", path);
        }
    }

    private static void RequireText(string value, string path)
    {
        RequireNotNull(value, path);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Invalid("must not be empty", path);
        }
    }

    private static void RequireFinite(double value, string path)
    {
        if (!double.IsFinite(value))
        {
            throw Invalid("must be a finite number", path);
        }
    }

    // The static types say non-null, but JSON (null list elements) and callers ignoring warnings can still hand nulls in.
    private static void RequireNotNull(object? value, string path)
    {
        if (value is null)
        {
            throw Invalid("must not be null", path);
        }
    }

    private static ArtifactException Invalid(string problem, string path) =>
        new(ArtifactErrorCode.InvalidManifest, $"manifest.json {path} {problem}.", path);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex Identifier();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
