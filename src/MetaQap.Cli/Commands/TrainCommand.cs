using System.CommandLine;
using System.Globalization;
using MetaQap.Imaging.Datasets;
using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Training;
using Spectre.Console;

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

    private static bool TryParseFold(string text, out int k, out int folds)
    {
        k = folds = 0;
        string[] parts = text.Split('/');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out folds)
            && folds >= 2 && k >= 1 && k <= folds;
    }
}

/// <summary>The options <c>pretrain</c> and <c>train</c> share, mapped onto <see cref="TrainingOptions"/>.</summary>
internal sealed class TrainingCliOptions(int defaultEpochs, double defaultLearningRate)
{
    private readonly Option<string> _arch = new("--arch") { Description = "Backbone architecture.", DefaultValueFactory = _ => "resnet10_w32" };
    private readonly Option<int> _epochs = new("--epochs") { Description = "Maximum epochs.", DefaultValueFactory = _ => defaultEpochs };
    private readonly Option<int> _batch = new("--batch-size") { Description = "Images per step (>= 2).", DefaultValueFactory = _ => 16 };
    private readonly Option<double> _lr = new("--lr") { Description = "Peak AdamW learning rate.", DefaultValueFactory = _ => defaultLearningRate };
    private readonly Option<double> _weightDecay = new("--weight-decay") { Description = "AdamW decoupled weight decay.", DefaultValueFactory = _ => 0.01 };
    private readonly Option<int> _patience = new("--patience") { Description = "Stop after this many epochs without a better validation SROCC (0: never).", DefaultValueFactory = _ => 5 };
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of initialisation, split, shuffles, augmentation and dropout.", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _threads = new("--threads") { Description = "libtorch threads (0: its default).", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _size = new("--size") { Description = "Input side in pixels (0: the architecture's).", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _steps = new("--steps-per-epoch") { Description = "Cap on steps per epoch (0: the whole training set)." };
    private readonly Option<int> _validation = new("--val-samples") { Description = "Cap on validation images (0: all)." };
    private readonly Option<double> _clip = new("--clip") { Description = "Gradient clipping norm (0: off).", DefaultValueFactory = _ => 1.0 };
    private readonly Option<DirectoryInfo> _output = new("--out") { Description = "Run folder: model.safetensors, training.json, checkpoints/.", Required = true };
    private readonly Option<bool> _resume = new("--resume") { Description = "Continue the run in --out from its last checkpoint." };

    public void AddTo(Command command)
    {
        _arch.AcceptOnlyFromAmong([.. BackboneFactory.Architectures]);
        foreach (Option option in new Option[] { _arch, _epochs, _batch, _lr, _weightDecay, _patience, _seed, _threads, _size, _steps, _validation, _clip, _output, _resume })
        {
            command.Options.Add(option);
        }
    }

    public int Seed(ParseResult parse) => parse.GetValue(_seed);

    public string Output(ParseResult parse) => parse.GetValue(_output)!.FullName;

    public bool Resume(ParseResult parse) => parse.GetValue(_resume);

    /// <summary>The input side: --size, or the architecture's own (built once to ask it).</summary>
    public int InputSize(ParseResult parse)
    {
        int size = parse.GetValue(_size);
        if (size > 0)
        {
            return size;
        }

        using var probe = new QualityModel(parse.GetValue(_arch)!);
        return probe.InputSize;
    }

    public TrainingOptions Build(ParseResult parse)
    {
        int steps = parse.GetValue(_steps), validation = parse.GetValue(_validation);
        var options = new TrainingOptions
        {
            Architecture = parse.GetValue(_arch)!,
            Epochs = parse.GetValue(_epochs),
            BatchSize = parse.GetValue(_batch),
            LearningRate = parse.GetValue(_lr),
            WeightDecay = parse.GetValue(_weightDecay),
            Patience = parse.GetValue(_patience),
            Seed = parse.GetValue(_seed),
            Threads = parse.GetValue(_threads),
            InputSize = InputSize(parse),
            MaxStepsPerEpoch = steps > 0 ? steps : null,
            MaxValidationSamples = validation > 0 ? validation : null,
            GradientClipNorm = parse.GetValue(_clip),
        };
        options.Validate();
        return options;
    }
}

/// <summary>Runs a training stage under a progress bar, then prints the epochs; Ctrl-C leaves the last checkpoint.</summary>
internal static class TrainingConsole
{
    public static async Task<int> RunAsync(ParseResult parse, TrainingCliOptions common,
        Func<IProgress<TrainingProgress>, CancellationToken, TrainingResult> run, CancellationToken cancellationToken)
    {
        TextWriter output = parse.InvocationConfiguration.Output;
        TextWriter error = parse.InvocationConfiguration.Error;
        try
        {
            TrainingResult result = null!;
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    ProgressTask task = context.AddTask("starting", maxValue: 1);
                    var progress = new Reporter(p =>
                    {
                        task.MaxValue = (double)p.Epochs * p.StepsPerEpoch;
                        task.Value = ((double)p.Epoch * p.StepsPerEpoch) + p.Step;
                        task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                            $"{p.Stage} epoch {p.Epoch + 1}/{p.Epochs} step {p.Step}/{p.StepsPerEpoch} loss {p.Loss:F4} {p.ImagesPerSecond:F1} img/s"));
                    });
                    result = await Task.Run(() => run(progress, cancellationToken), cancellationToken).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                }).ConfigureAwait(false);

            foreach (EpochMetrics m in result.History)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {m.Epoch + 1}: loss {m.TrainLoss:F4}  val PLCC {m.ValidationPlcc:F4}  val SROCC {m.ValidationSrocc:F4}" +
                    $"{(m.ValidationAccuracy is { } a ? $"  type acc {a:F3}" : "")}  {m.ImagesPerSecond:F1} img/s"));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"best epoch {result.BestEpoch + 1} (val SROCC {result.BestValidationSrocc:F4}){(result.StoppedEarly ? ", stopped early" : "")}"));
            output.WriteLine($"weights: {result.WeightsPath}");
            output.WriteLine($"report:  {result.ReportPath}");
            return ExitCodes.Success;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine($"cancelled; the last complete checkpoint is in {Path.Combine(common.Output(parse), "checkpoints")} (continue with --resume).");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or InvalidOperationException or ArgumentException)
        {
            error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InputError;
        }
    }

    private sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
