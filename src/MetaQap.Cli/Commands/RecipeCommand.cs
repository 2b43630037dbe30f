using System.CommandLine;
using System.Globalization;
using MetaQap.Modeling.Recipes;

namespace MetaQap.Cli.Commands;

/// <summary>
/// <c>metaqap recipe show|default|biq2021</c>: the presets, the license-clean default ensemble, and the BIQ2021
/// recipe (docs/recipes.md). Every long step is a resumable work unit in the --out folder.
/// </summary>
internal static class RecipeCommand
{
    public static Command Create()
    {
        var command = new Command("recipe", "Train an ensemble end to end with a recipe, resumably.");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Default());
        command.Subcommands.Add(Biq2021());
        return command;
    }

    private static Command Show()
    {
        var name = new Argument<string>("name") { Description = "Preset: default or biq2021." };
        name.AcceptOnlyFromAmong([.. RecipePresets.Names]);
        var command = new Command("show", "Print a preset recipe config as JSON (a starting point for --config).") { name };
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.Write(RecipePresets.Find(parse.GetValue(name)!)!.ToJson());
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Default()
    {
        var options = new RecipeCliOptions();
        var command = new Command("default", "The license-clean default ensemble: pretraining on synthetic content (and --photos), meta-learner on held-out contents.");
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string output = options.OutputPath(parse);
            return await RecipeCliOptions.RunAsync(parse, output, (log, ct) =>
            {
                RecipeConfig config = options.LoadConfig(parse, RecipePresets.Default);
                DefaultRecipeResult result = DefaultRecipe.Run(output, config, options.Pristine(parse), RecipeCliOptions.Invocation(parse), log, ct);
                return string.Create(CultureInfo.InvariantCulture,
                    $"ensemble {result.Manifest.Version}: {result.EnsembleDirectory}\nheld-out SROCC {result.MetaLearner.OutOfFold.Srocc:F4} " +
                    $"(meta-learner fitted on it), nested CV {result.CrossValidation?.Srocc.Format() ?? "n/a"}");
            }, cancellationToken);
        });
        return command;
    }

    private static Command Biq2021()
    {
        var options = new RecipeCliOptions();
        var data = new Option<DirectoryInfo>("--data") { Description = "MOS dataset folder (e.g. biq2021-dev: mos.csv + images/).", Required = true };
        var pretrained = new Option<DirectoryInfo?>("--pretrained")
        {
            Description = "A default-recipe ensemble whose base models (same names, architectures, sizes) replace the pretraining.",
        };
        var command = new Command("biq2021", "Pretraining, K-fold fine-tuning with the quality-aware loss, out-of-fold meta-learner, final ensemble and report.")
        {
            data, pretrained,
        };
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string output = options.OutputPath(parse);
            return await RecipeCliOptions.RunAsync(parse, output, (log, ct) =>
            {
                RecipeConfig config = options.LoadConfig(parse, RecipePresets.Biq2021);
                Biq2021RecipeResult result = Biq2021Recipe.Run(output, parse.GetValue(data)!.FullName, config, options.Pristine(parse),
                    parse.GetValue(pretrained)?.FullName, RecipeCliOptions.Invocation(parse), log, ct);
                return string.Create(CultureInfo.InvariantCulture,
                    $"ensemble {result.Manifest.Version}: {result.EnsembleDirectory}\nnested CV SROCC {result.CrossValidation.Srocc.Format()} " +
                    $"PLCC {result.CrossValidation.Plcc.Format()}\nreport: {Path.Combine(output, RecipeReportWriter.MarkdownFile)}");
            }, cancellationToken);
        });
        return command;
    }
}
