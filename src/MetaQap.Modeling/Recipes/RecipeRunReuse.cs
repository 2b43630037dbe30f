using System.Globalization;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// The fold runs of a finished BIQ2021 recipe run, reused by the ablation as its third group instead of training
/// them again: allowed only when that run used exactly this config on this dataset and its fold units are complete.
/// </summary>
internal static class RecipeRunReuse
{
    public static (FoldStageOutcome Stage, double PretrainSeconds) Load(string recipeRun, RecipeConfig config, RecipeDataset data, string dataFolder,
        FoldStageSpec stage)
    {
        string root = Path.GetFullPath(recipeRun);
        CheckSameRun(root, config, dataFolder);
        var folds = new Dictionary<string, IReadOnlyList<UnitResult<FoldOutcome>>>(StringComparer.Ordinal);
        double pretrainSeconds = 0;
        foreach (BaseModelRecipe model in config.BaseModels)
        {
            var units = new List<UnitResult<FoldOutcome>>();
            for (int k = 1; k <= data.Folds.Count; k++)
            {
                string unit = Path.Combine(root, Biq2021Recipe.FoldsStage, model.Name, string.Create(CultureInfo.InvariantCulture, $"fold-{k}"));
                if (!WorkUnit.IsComplete(unit))
                {
                    throw new RecipeException($"--recipe-run {root} is not finished ({unit} is incomplete); re-run its command to complete it first.");
                }

                units.Add(WorkUnit.Read<FoldOutcome>(unit));
            }

            folds[model.Name] = units;
            string pretrain = Path.Combine(root, "pretrain", model.Name);
            if (WorkUnit.IsComplete(pretrain))
            {
                pretrainSeconds += WorkUnit.Read<PretrainOutcome>(pretrain).Seconds;
            }
        }

        return (new FoldStageOutcome(stage.Key, stage.Title, folds), pretrainSeconds);
    }

    /// <summary>Refuses a folder that is not a `recipe biq2021` run of exactly this config on this dataset.</summary>
    public static void CheckSameRun(string root, RecipeConfig config, string dataFolder)
    {
        string configPath = Path.Combine(root, RecipeRunFolder.ConfigFile);
        string inputsPath = Path.Combine(root, RecipeRunFolder.InputsFile);
        if (!File.Exists(configPath) || !File.Exists(inputsPath))
        {
            throw new RecipeException($"--recipe-run {root} is not a recipe run folder (no {RecipeRunFolder.ConfigFile} / {RecipeRunFolder.InputsFile}).");
        }

        if (RecipeJson.Serialize(RecipeJson.Read<RecipeConfig>(configPath)) != config.ToJson())
        {
            throw new RecipeException(
                $"--recipe-run {root} was made with a different config; its fold runs are not this ablation's third group. " +
                $"Ablate with its config (--config {configPath}) or leave --recipe-run out to train them here.");
        }

        RunInputs inputs = RecipeJson.Read<RunInputs>(inputsPath);
        if (inputs.Command != "recipe biq2021" || !string.Equals(inputs.Data, Path.GetFullPath(dataFolder), StringComparison.Ordinal))
        {
            throw new RecipeException($"--recipe-run {root} is a `{inputs.Command}` run on {inputs.Data ?? "no dataset"}, not `recipe biq2021` on {Path.GetFullPath(dataFolder)}.");
        }
    }
}
