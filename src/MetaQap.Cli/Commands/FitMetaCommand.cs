using System.CommandLine;
using System.Globalization;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Meta;
using MetaQap.Modeling.Quality;

namespace MetaQap.Cli.Commands;

/// <summary>
/// `metaqap fit-meta`: fits the stepwise meta-learner on out-of-fold base-model predictions (CSV documented on
/// <see cref="OutOfFoldPredictions"/>) and assembles the ensemble folder from the base models' weights. The folder
/// is built under a temporary name and renamed at the end, so Ctrl-C never leaves a half-written ensemble.
/// </summary>
internal static class FitMetaCommand
{
    private const string ModelSyntax = "NAME=PATH:ARCH[:SIZE], e.g. r10=runs/fold-all/model.safetensors:resnet10_w32:224";

    public static Command Create()
    {
        var predictions = new Option<FileInfo?>("--predictions") { Description = "Out-of-fold predictions CSV: image_id,mos,<one column per base model> (0-100 scale). Required for --method stepwise." };
        var models = new Option<string[]>("--model") { Description = $"A base model, repeatable: {ModelSyntax}.", Required = true, AllowMultipleArgumentsPerToken = false };
        var output = new Option<DirectoryInfo>("--out") { Description = "Ensemble folder to create (must not exist or be empty).", Required = true };
        var method = new Option<string>("--method") { Description = "stepwise (stepwise OLS on the predictions) or mean (plain average).", DefaultValueFactory = _ => "stepwise" };
        var version = new Option<string>("--version") { Description = "Ensemble version reported with every score.", Required = true };
        var recipe = new Option<string>("--recipe") { Description = "Training recipe name for the provenance.", DefaultValueFactory = _ => "custom" };
        var trainingData = new Option<string[]>("--training-data") { Description = "Description of a training data source (what, licence, seed, size); repeatable.", Required = true };
        var seed = new Option<long>("--seed") { Description = "Master seed of the training run.", DefaultValueFactory = _ => 0 };
        var gitCommit = new Option<string>("--git-commit") { Description = "Commit of the code that trained the models.", DefaultValueFactory = _ => "unknown" };
        var notes = new Option<string?>("--notes") { Description = "Free text for the provenance (caveats, model card)." };
        var viewSide = new Option<int>("--view-side")
        {
            Description = "Scoring scales images down to this shorter side (never below the input size) before the centre crop, the scale the models were trained at; 0: scale the shorter side to the input size.",
            DefaultValueFactory = _ => BaseModelSource.DefaultViewSide,
        };

        var command = new Command("fit-meta", "Fit the meta-learner on out-of-fold predictions and write an ensemble folder.")
        {
            predictions, models, output, method, version, recipe, trainingData, seed, gitCommit, notes, viewSide,
        };

        command.SetAction(parse =>
        {
            int view = parse.GetValue(viewSide);
            if (view < 0)
            {
                return ExitCodes.Usage(parse, "--view-side must be 0 or a number of pixels.");
            }

            var sources = new List<BaseModelSource>();
            foreach (string text in parse.GetValue(models)!)
            {
                if (!TryParseModel(text, out BaseModelSource? source, out string? problem))
                {
                    return ExitCodes.Usage(parse, $"--model '{text}': {problem} Expected {ModelSyntax}.");
                }

                if (view > 0 && view < source!.InputSize)
                {
                    return ExitCodes.Usage(parse, $"--view-side {view} is smaller than the input size {source.InputSize} of '{source.Name}'.");
                }

                sources.Add(source! with { ViewSide = view > 0 ? view : null });
            }

            if (sources.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count() != sources.Count)
            {
                return ExitCodes.Usage(parse, "--model names must be distinct.");
            }

            string how = parse.GetValue(method)!;
            FileInfo? csv = parse.GetValue(predictions);
            if (how is not ("stepwise" or "mean"))
            {
                return ExitCodes.Usage(parse, $"--method must be 'stepwise' or 'mean', not '{how}'.");
            }

            if (how == "stepwise" && csv is null)
            {
                return ExitCodes.Usage(parse, "--method stepwise needs --predictions (out-of-fold predictions CSV).");
            }

            TextWriter console = parse.InvocationConfiguration.Output;
            try
            {
                MetaLearnerEntry entry;
                IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double>();
                if (csv is not null)
                {
                    OutOfFoldPredictions table = OutOfFoldPredictions.Read(csv.FullName);
                    string? unknown = table.ModelNames.FirstOrDefault(n => !sources.Any(s => s.Name == n));
                    if (unknown is not null)
                    {
                        return ExitCodes.Usage(parse, $"predictions column '{unknown}' is not one of the --model names ({string.Join(", ", sources.Select(s => s.Name))}).");
                    }

                    MetaLearnerFit fit = how == "stepwise" ? MetaLearnerFitting.FitStepwise(table) : MetaLearnerFitting.FitMean(table);
                    entry = fit.Entry;
                    metrics = MetaLearnerFitting.OutOfFoldMetrics(fit.OutOfFold);
                    foreach (StepwiseStep step in fit.Model?.History ?? [])
                    {
                        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {step.Step}: {step.Action} {step.Predictor} (p={step.PValue:G4})"));
                    }

                    console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"out-of-fold (n={fit.OutOfFold.N}): srocc={fit.OutOfFold.Srocc:F4} plcc={fit.OutOfFold.Plcc:F4} krocc={fit.OutOfFold.Krocc:F4} rmse={fit.OutOfFold.Rmse:F3}"));
                }
                else
                {
                    entry = EnsembleBuilder.Mean([.. sources.Select(s => s.Name)]);
                }

                var options = new EnsembleBuildOptions
                {
                    Version = parse.GetValue(version)!,
                    Metrics = metrics,
                    Provenance = new Provenance
                    {
                        Recipe = parse.GetValue(recipe)!,
                        Command = "metaqap " + string.Join(' ', parse.Tokens.Select(t => t.Value)),
                        TrainingData = parse.GetValue(trainingData)!,
                        Seed = parse.GetValue(seed),
                        GitCommit = parse.GetValue(gitCommit)!,
                        Notes = parse.GetValue(notes),
                    },
                };
                string target = parse.GetValue(output)!.FullName;
                EnsembleBuilder.Build(target, sources, entry, options);
                console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"meta-learner {entry.Method}: {entry.Intercept:G6} + {string.Join(" + ", entry.Predictors.Select((p, i) => $"{entry.Coefficients[i]:G6}*{p}"))}"));
                console.WriteLine($"ensemble written to {target}");
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArtifactException or ArgumentException
                or MetaQap.Modeling.Weights.StateDictMismatchException or UnauthorizedAccessException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InputError;
            }
        });

        return command;
    }

    /// <summary>Parses NAME=PATH:ARCH[:SIZE]; the path is everything between '=' and the trailing ARCH (and SIZE).</summary>
    private static bool TryParseModel(string text, out BaseModelSource? source, out string? problem)
    {
        source = null;
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            problem = "missing NAME=.";
            return false;
        }

        string name = text[..equals];
        string rest = text[(equals + 1)..];
        int? size = null;
        int colon = rest.LastIndexOf(':');
        if (colon > 0 && int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int parsed))
        {
            size = parsed;
            rest = rest[..colon];
            colon = rest.LastIndexOf(':');
        }

        if (colon <= 0 || colon == rest.Length - 1)
        {
            problem = "missing PATH:ARCH.";
            return false;
        }

        string architecture = rest[(colon + 1)..];
        int inputSize;
        try
        {
            using var probe = new QualityModel(architecture);
            inputSize = size ?? probe.InputSize;
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
            return false;
        }

        if (inputSize <= 0)
        {
            problem = "SIZE must be at least 1.";
            return false;
        }

        source = new BaseModelSource(name, rest[..colon], architecture, inputSize);
        problem = null;
        return true;
    }
}
