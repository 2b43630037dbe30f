using System.CommandLine;
using MetaQap.Modeling.Recipes;

namespace MetaQap.Cli.Commands;

/// <summary>
/// <c>metaqap ablate</c>: the ablation table (from scratch with MSE, + quality-aware loss, + pretraining, and the
/// ensembles) over content-disjoint folds, resumable like the recipes; ablation.md and scatter plots in --out.
/// </summary>
internal static class AblateCommand
{
    public static Command Create()
    {
        var options = new RecipeCliOptions();
        var data = new Option<DirectoryInfo>("--data") { Description = "MOS dataset folder (e.g. biq2021-dev).", Required = true };
        var recipeRun = new Option<DirectoryInfo?>("--recipe-run")
        {
            Description = "A finished `metaqap recipe biq2021` run with the same config: its fold runs are group 3, not trained again.",
        };
        var command = new Command("ablate", "Measure what each MetaQAP component adds: PLCC/SROCC mean ± std over content-disjoint folds.")
        {
            data, recipeRun,
        };
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string output = options.OutputPath(parse);
            return await RecipeCliOptions.RunAsync(parse, output, (log, ct) =>
            {
                RecipeConfig config = options.LoadConfig(parse, RecipePresets.Biq2021);
                AblationStudy.Run(output, parse.GetValue(data)!.FullName, config, options.Pristine(parse), parse.GetValue(recipeRun)?.FullName,
                    RecipeCliOptions.Invocation(parse), log, ct);
                return $"ablation table: {Path.Combine(output, AblationReportWriter.MarkdownFile)}";
            }, cancellationToken);
        });
        return command;
    }
}
