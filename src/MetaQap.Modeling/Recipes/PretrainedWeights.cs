using MetaQap.Modeling.Artifacts;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// Where each base model's pretrained weights come from: the recipe's own pretraining units (run on first use),
/// or the base models of a default-recipe ensemble with the same names, architectures and input sizes: that is the
/// same pretraining, already done.
/// </summary>
internal sealed class PretrainedWeights
{
    private readonly IReadOnlyDictionary<string, string>? _ensembleWeights;
    private readonly PretrainingPlan? _plan;
    private readonly RecipeLog _log;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<string, string> _pretrained = new(StringComparer.Ordinal);

    private PretrainedWeights(IReadOnlyDictionary<string, string>? ensembleWeights, PretrainingPlan? plan, IReadOnlyList<string> trainingData,
        RecipeLog log, CancellationToken cancellationToken)
    {
        _ensembleWeights = ensembleWeights;
        _plan = plan;
        TrainingData = trainingData;
        _log = log;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Provenance lines of the pretraining data.</summary>
    public IReadOnlyList<string> TrainingData { get; }

    /// <summary>The model's pretrained weights file; the first call runs (or skips, when complete) its pretraining unit in <paramref name="folder"/>.</summary>
    public string For(RecipeRunFolder folder, BaseModelRecipe model)
    {
        if (_ensembleWeights is not null)
        {
            return _ensembleWeights[model.Name];
        }

        if (!_pretrained.TryGetValue(model.Name, out string? weights))
        {
            weights = _plan!.Pretrain(folder, model, _log, _cancellationToken).Weights;
            _pretrained[model.Name] = weights;
        }

        return weights;
    }

    /// <summary>Checks the ensemble or the pristine inputs now, before the run folder is claimed; nothing is trained yet.</summary>
    public static PretrainedWeights Create(RecipeConfig config, PristineInputs pristine, string? ensembleDirectory, RecipeLog log,
        CancellationToken cancellationToken)
    {
        if (ensembleDirectory is not null)
        {
            (IReadOnlyDictionary<string, string> weights, IReadOnlyList<string> data) = FromEnsemble(config, ensembleDirectory);
            return new PretrainedWeights(weights, null, data, log, cancellationToken);
        }

        PretrainingPlan plan = PretrainingPlan.Create(config, pristine, log);
        return new PretrainedWeights(null, plan, [.. plan.TrainingData.Select(d => "pretraining: " + d)], log, cancellationToken);
    }

    private static (IReadOnlyDictionary<string, string> Weights, IReadOnlyList<string> TrainingData) FromEnsemble(RecipeConfig config, string directory)
    {
        EnsembleManifest manifest;
        try
        {
            manifest = EnsembleArtifact.Load(directory);
        }
        catch (ArtifactException ex)
        {
            throw new RecipeException($"--pretrained {Path.GetFullPath(directory)}: {ex.Message}", ex);
        }

        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (BaseModelRecipe model in config.BaseModels)
        {
            BaseModelEntry entry = manifest.BaseModels.FirstOrDefault(b => b.Name == model.Name)
                ?? throw new RecipeException(
                    $"--pretrained {Path.GetFullPath(directory)} has no base model '{model.Name}' (it has {string.Join(", ", manifest.BaseModels.Select(b => b.Name))}).");
            if (entry.Architecture != model.Architecture || entry.InputSize != model.InputSize)
            {
                throw new RecipeException(
                    $"--pretrained base model '{model.Name}' is {entry.Architecture}@{entry.InputSize}; the config wants {model.Architecture}@{model.InputSize}.");
            }

            paths[model.Name] = Path.Combine(Path.GetFullPath(directory), entry.WeightsFile);
        }

        string origin = $"pretraining: base models of ensemble {Path.GetFullPath(directory)} (version {manifest.Version}, recipe {manifest.Provenance.Recipe}, seed {manifest.Provenance.Seed}, commit {manifest.Provenance.GitCommit})";
        return (paths, [origin, .. manifest.Provenance.TrainingData.Select(d => "pretraining: " + d)]);
    }
}
