using System.CommandLine;
using System.Globalization;
using MetaQap.Imaging.Datasets;
using MetaQap.Modeling.Training;

namespace MetaQap.Cli.Commands;

/// <summary>
/// <c>metaqap train</c>: fine-tunes a base model on a MOS dataset, one content-disjoint fold (<c>--fold k/K</c>:
/// train on the other K−1 folds, validate on fold k), optionally from a pretraining run's weights.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var common = new TrainingCliOptions(defaultEpochs: 30, defaultLearningRate: 1e-4);
        var dataset = new Option<DirectoryInfo>("--dataset") { Description = "Dataset folder or manifest (mos.csv, KonIQ-10k, KADID-10k, BIQ2021).", Required = true };
        var init = new Option<FileInfo?>("--init") { Description = "Start from these weights (a pretraining run's model.safetensors)." };
        var fold = new Option<string>("--fold") { Description = "Validation fold k of K content-disjoint folds, as k/K.", DefaultValueFactory = _ => "1/5" };
        var cache = new Option<int>("--cache-mb") { Description = "Memory for decoded images kept as 8-bit RGB.", DefaultValueFactory = _ => 1024 };

        var command = new Command("train", "Fine-tune a base model on a MOS dataset (quality-aware loss, early stopping on validation SROCC).")
        {
            dataset, init, fold, cache,
        };
        common.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!TryParseFold(parse.GetValue(fold)!, out int k, out int folds))
            {
                return ExitCodes.Usage(parse, "--fold must be k/K with 2 <= K and 1 <= k <= K, e.g. 1/5.");
            }

            FileInfo? initial = parse.GetValue(init);
            if (initial is { Exists: false })
            {
                return ExitCodes.Usage(parse, $"--init file {initial.FullName} does not exist.");
            }

            Dataset data;
            try
            {
                data = DatasetReader.Read(parse.GetValue(dataset)!.FullName);
            }
            catch (Exception ex) when (ex is IOException or DatasetFormatException or ArgumentException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.InputError;
            }

            Fold split;
            FineTuningOptions options;
            try
            {
                split = ContentDisjointFolds.Split(data.Items, folds, common.Seed(parse))[k - 1];
                options = new FineTuningOptions
                {
                    Training = common.Build(parse),
                    InitialWeights = initial?.FullName,
                    ImageCacheBytes = parse.GetValue(cache) * 1024L * 1024L,
                };
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                return ExitCodes.Usage(parse, ex.Message);
            }

            var provenance = new { data.Name, data.Root, Format = data.Format.ToString(), Items = data.Items.Count, Fold = $"{k}/{folds}", FoldSeed = common.Seed(parse) };
            return await TrainingConsole.RunAsync(parse, common, (progress, ct) =>
                new FineTuner(split.Train, split.Test, options, provenance).Run(common.Output(parse), common.Resume(parse), progress, ct), cancellationToken);
        });

        return command;
    }

    /// <summary>A fold as k/K with 2 &lt;= K and 1 &lt;= k &lt;= K (`train submit` checks it before publishing too).</summary>
    internal static bool TryParseFold(string text, out int k, out int folds)
    {
        k = folds = 0;
        string[] parts = text.Split('/');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out folds)
            && folds >= 2 && k >= 1 && k <= folds;
    }
}
