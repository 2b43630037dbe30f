using System.Globalization;
using System.Text.Json;
using MetaQap.Modeling.Backbones;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// Everything a recipe run depends on besides its input folders: the base models, pretraining, the held-out
/// split, fine-tuning and the seed. Read from and written to JSON (snake_case keys, see docs/recipes.md); the
/// presets are in <see cref="RecipePresets"/>. A run writes the config it used to <c>&lt;out&gt;/recipe.json</c>.
/// </summary>
public sealed record RecipeConfig
{
    /// <summary>Recipe name recorded in the ensemble's provenance; same characters as a base-model name.</summary>
    public required string Name { get; init; }

    /// <summary>Master seed: the content split, the corpus, the dataset folds.</summary>
    public required int Seed { get; init; }

    /// <summary>libtorch threads and corpus workers; 0 leaves the defaults (all cores).</summary>
    public int Threads { get; init; }

    /// <summary>Wall-time budget of the whole run on the reference machine (2 cores), in minutes; the report compares the run with it.</summary>
    public double? BudgetMinutes { get; init; }

    /// <summary>Use only the first this many dataset items (small test runs); null: all.</summary>
    public int? MaxItems { get; init; }

    public required IReadOnlyList<BaseModelRecipe> BaseModels { get; init; }

    /// <summary>Heads on the frozen ImageNet trunk (ridge and MLP in the BIQ2021 recipe, rank in the default); base models and heads may each be empty, not both.</summary>
    public IReadOnlyList<HeadRecipe> Heads { get; init; } = [];

    public HeadFittingRecipe HeadFitting { get; init; } = new();

    /// <summary>How rank heads are fitted (recipe default only).</summary>
    public RankingRecipe Ranking { get; init; } = new();

    public required PretrainingRecipe Pretraining { get; init; }

    public required HeldOutRecipe HeldOut { get; init; }

    public required FineTuningRecipe FineTuning { get; init; }

    /// <summary>Reads and validates a config file; <see cref="RecipeException"/> names the file and the problem.</summary>
    public static RecipeConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new RecipeException($"Config file {Path.GetFullPath(path)} does not exist.");
        }

        RecipeConfig config;
        try
        {
            config = RecipeJson.Read<RecipeConfig>(path);
        }
        catch (JsonException ex)
        {
            throw new RecipeException($"Config file {Path.GetFullPath(path)} is not a valid recipe config: {ex.Message}", ex);
        }

        try
        {
            config.Validate();
        }
        catch (RecipeException ex)
        {
            throw new RecipeException($"Config file {Path.GetFullPath(path)}: {ex.Message}", ex);
        }

        return config;
    }

    /// <summary>The config as JSON; equal configs give equal text (the run folder compares them this way).</summary>
    public string ToJson() => RecipeJson.Serialize(this);

    /// <summary>The largest input size of any base model or head: what held-out samples are made at and photos must reach.</summary>
    public int LargestInputSize() => BaseModels.Select(m => m.InputSize).Concat(Heads.Select(h => h.InputSize)).Max();

    /// <summary>Throws <see cref="RecipeException"/> naming the first bad setting by its JSON path.</summary>
    public void Validate()
    {
        RequireName(Name, "name");
        Require(MaxItems is null or > 0, "max_items must be at least 1 when set.");
        Require(Threads >= 0, "threads must be >= 0.");
        Require(BudgetMinutes is null or > 0, "budget_minutes must be positive when set.");
        Require(BaseModels is not null && Heads is not null, "base_models and heads must be lists.");
        Require(BaseModels!.Count + Heads!.Count > 0, "base_models needs at least one model (or heads one head).");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < BaseModels.Count; i++)
        {
            BaseModelRecipe model = BaseModels[i] ?? throw new RecipeException($"base_models[{i}] is null.");
            string at = Invariant($"base_models[{i}]");
            RequireName(model.Name, at + ".name");
            Require(names.Add(model.Name), $"{at}.name '{model.Name}' is used twice.");
            Require(BackboneFactory.Architectures.Contains(model.Architecture),
                $"{at}.architecture '{model.Architecture}' is unknown; known: {string.Join(", ", BackboneFactory.Architectures)}.");
            Require(model.InputSize >= 32, $"{at}.input_size must be at least 32 (got {model.InputSize}).");
        }

        ValidateHeads(names);
        ValidatePretraining(Pretraining ?? throw new RecipeException("pretraining is missing."));
        HeldOutRecipe heldOut = HeldOut ?? throw new RecipeException("held_out is missing.");
        Require(heldOut.ContentFraction is > 0 and < 1, "held_out.content_fraction must be in (0, 1).");
        Require(heldOut.Samples >= 10, "held_out.samples must be at least 10.");
        Require(heldOut.Folds >= 2, "held_out.folds must be at least 2.");
        Require(heldOut.MetaLearner is EnsembleMethod.Stepwise or EnsembleMethod.Mean, "held_out.meta_learner must be 'stepwise' or 'mean'.");
        ValidateFineTuning(FineTuning ?? throw new RecipeException("fine_tuning is missing."));
    }

    private void ValidateHeads(HashSet<string> names)
    {
        for (int i = 0; i < Heads.Count; i++)
        {
            HeadRecipe head = Heads[i] ?? throw new RecipeException($"heads[{i}] is null.");
            string at = Invariant($"heads[{i}]");
            RequireName(head.Name, at + ".name");
            Require(names.Add(head.Name), $"{at}.name '{head.Name}' is used twice.");
            Require(HeadArchitectures.Contains(head.Architecture),
                $"{at}.architecture '{head.Architecture}' is not a frozen-trunk head; known: {string.Join(", ", HeadArchitectures)}.");
            Require(head.InputSize >= ResNetCntk.SideMultiple && head.InputSize % ResNetCntk.SideMultiple == 0,
                $"{at}.input_size must be a multiple of {ResNetCntk.SideMultiple} (got {head.InputSize}).");
            Require(head.ViewSide >= head.InputSize, $"{at}.view_side must be at least its input_size.");
            Require(head.Kind is HeadKind.Ridge or HeadKind.Mlp or HeadKind.Rank, $"{at}.kind must be 'ridge', 'mlp' or 'rank'.");
            Require(head.Hidden is >= 1 and <= 65536, $"{at}.hidden must be between 1 and 65536.");
        }

        RankingRecipe ranking = Ranking ?? throw new RecipeException("ranking is missing.");
        Require(ranking.ViewSide >= ranking.CropSize, "ranking.view_side must be at least ranking.crop_size.");
        Require(ranking.CropSize >= ResNetCntk.SideMultiple && ranking.CropSize % ResNetCntk.SideMultiple == 0,
            $"ranking.crop_size must be a multiple of {ResNetCntk.SideMultiple} (got {ranking.CropSize}).");
        Require(ranking.CropsPerContent >= 1, "ranking.crops_per_content must be at least 1.");
        Require(ranking.Types is { Count: > 0 } && ranking.Types.Distinct().Count() == ranking.Types.Count
            && ranking.Types.All(Enum.IsDefined), "ranking.types must be a non-empty list of distinct distortion types.");
        Require(ranking.L2 >= 0, "ranking.l2 must be >= 0.");
        Require(ranking.Steps >= 1, "ranking.steps must be at least 1.");
        Require(ranking.ChunkContents >= 1, "ranking.chunk_contents must be at least 1.");

        HeadFittingRecipe fitting = HeadFitting ?? throw new RecipeException("head_fitting is missing.");
        Require(fitting.TrunkBatchSize >= 1, "head_fitting.trunk_batch_size must be at least 1.");
        Require(fitting.BatchSize >= 2, "head_fitting.batch_size must be at least 2.");
        Require(fitting.Epochs >= 1, "head_fitting.epochs must be at least 1.");
        Require(fitting.LearningRate is > 0 and < 1, "head_fitting.learning_rate must be in (0, 1).");
        Require(fitting.WeightDecay >= 0, "head_fitting.weight_decay must be >= 0.");
        Require(fitting.ChunkSize >= 1, "head_fitting.chunk_size must be at least 1.");
    }

    /// <summary>The architectures a head may have: the frozen ImageNet trunk's feature variants.</summary>
    public static IReadOnlyList<string> HeadArchitectures { get; } = ["resnet18_cntk", "resnet18_cntk_ms", "resnet18_cntk_blocks"];

    private static void ValidatePretraining(PretrainingRecipe p)
    {
        Require(p.SyntheticContents >= 0, "pretraining.synthetic_contents must be >= 0.");
        Require(p.Epochs >= 1, "pretraining.epochs must be at least 1.");
        Require(p.StepsPerEpoch >= 1, "pretraining.steps_per_epoch must be at least 1.");
        Require(p.BatchSize >= 2, "pretraining.batch_size must be at least 2.");
        Require(p.LearningRate is > 0 and < 1, "pretraining.learning_rate must be in (0, 1).");
        Require(double.IsFinite(p.DistortionLossWeight) && p.DistortionLossWeight >= 0, "pretraining.distortion_loss_weight must be finite and >= 0.");
        Require(p.ValidationFraction is > 0 and < 1, "pretraining.validation_fraction must be in (0, 1).");
        Require(p.ValidationSamples is null or >= 3, "pretraining.validation_samples must be at least 3 when set.");
        Require(p.Patience >= 0, "pretraining.patience must be >= 0.");
    }

    private static void ValidateFineTuning(FineTuningRecipe f)
    {
        Require(f.Folds >= 2, "fine_tuning.folds must be at least 2.");
        Require(f.Epochs >= 1, "fine_tuning.epochs must be at least 1.");
        Require(f.MaxStepsPerEpoch is null or >= 1, "fine_tuning.max_steps_per_epoch must be at least 1 when set.");
        Require(f.BatchSize >= 2, "fine_tuning.batch_size must be at least 2.");
        Require(f.LearningRate is > 0 and < 1, "fine_tuning.learning_rate must be in (0, 1).");
        Require(f.Patience >= 0, "fine_tuning.patience must be >= 0.");
        Require(double.IsFinite(f.MseWeight) && f.MseWeight >= 0 && double.IsFinite(f.SroccWeight) && f.SroccWeight >= 0
            && f.MseWeight + f.SroccWeight > 0, "fine_tuning.mse_weight and srocc_weight must be >= 0 and not both 0.");
        Require(f.ValidationSamples is null or >= 3, "fine_tuning.validation_samples must be at least 3 when set.");
        Require(f.ImageCacheMb >= 0, "fine_tuning.image_cache_mb must be >= 0.");
    }

    private static void RequireName(string? name, string at) =>
        Require(!string.IsNullOrEmpty(name) && name.Length <= 64 && char.IsAsciiLetterOrDigit(name[0])
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'),
            $"{at} '{name}' must start with a letter or digit and hold only letters, digits, '.', '_', '-' (at most 64).");

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new RecipeException(message);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
