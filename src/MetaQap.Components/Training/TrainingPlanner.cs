using System.Text.Json;
using MetaQap.Components.Registry;
using MetaQap.Contracts;
using MetaQap.Imaging.Corpus;
using MetaQap.Imaging.Datasets;
using MetaQap.Imaging.Pristine;
using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Training;
using Microsoft.Extensions.Options;
using ModelTrainingOptions = MetaQap.Modeling.Training.TrainingOptions;

namespace MetaQap.Components.Training;

/// <summary>
/// Turns a training command into a <see cref="TrainingPlan"/>, or a <see cref="TrainingRequestException"/> naming what
/// is wrong. The consumer plans on receipt, so a bad request fails within a second; the runner plans again before
/// training, because data can disappear in between.
/// </summary>
public sealed class TrainingPlanner(IOptions<TrainingRoleOptions> options, ModelRegistry registry, ModelStore store)
{
    private readonly TrainingDataResolver _data = new(options.Value);

    public const int DefaultSyntheticContents = 64;
    public const string DefaultFold = "1/5";

    public PretrainPlan Plan(PretrainBaseModel command)
    {
        ArgumentNullException.ThrowIfNull(command);
        RequireRunId(command.RunId);
        TrainingHyperparameters hp = command.Hyperparameters ?? new();
        int seed = hp.Seed ?? 0;
        ModelTrainingOptions training = Training(command.Architecture, command.InputSize, hp, epochs: 10, learningRate: 3e-4);
        TrainingDataSource data = command.Data ?? new TrainingDataSource { SyntheticContents = DefaultSyntheticContents };
        if (data.ManifestUri is not null)
        {
            throw Invalid("Data.ManifestUri is for MOS datasets; pretraining takes Data.SyntheticContents and/or Data.Folder (photos).");
        }

        var sources = new List<IPristineSource>();
        string? photos = null;
        if (data.Folder is { } folder)
        {
            photos = _data.ResolveData(folder, isFolder: true, "Data.Folder");
            FolderPristineSource photoSource;
            try
            {
                photoSource = new FolderPristineSource(photos);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new TrainingRequestException(TrainingFailureCode.DataAccessDenied, $"Data.Folder '{folder}' cannot be read: {e.Message}", e);
            }

            if (photoSource.ContentCount == 0)
            {
                throw new TrainingRequestException(TrainingFailureCode.DataEmpty, $"Data.Folder '{folder}' holds no usable photo.");
            }

            sources.Add(photoSource);
        }

        if (data.SyntheticContents is { } contents)
        {
            if (contents is < 2 or > 100_000)
            {
                throw Invalid($"Data.SyntheticContents must be 2–100000, not {contents}.");
            }

            sources.Add(new DeadLeavesSource(contents, seed));
        }

        if (sources.Count == 0)
        {
            throw Invalid("Data names no pristine content: set Data.SyntheticContents, Data.Folder, or both.");
        }

        IPristineSource pristine = sources.Count == 1 ? sources[0] : new CompositePristineSource([.. sources]);
        var pretraining = new PretrainingOptions { Training = training };
        Validate(pretraining.Validate);
        return new PretrainPlan(command.RunId, pristine, pretraining,
            new { kind = "pretrain", syntheticContents = data.SyntheticContents, photos, seed });
    }

    public async Task<TrainPlan> PlanAsync(TrainBaseModel command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        RequireRunId(command.RunId);
        TrainingHyperparameters hp = command.Hyperparameters ?? new();
        int seed = hp.Seed ?? 0;
        (int k, int folds) = TrainingDataResolver.ParseFold(command.Fold ?? DefaultFold, "Fold");
        string? initialWeights = null;
        int? inputSize = command.InputSize;
        if (command.InitialArtifactId is { } initial)
        {
            MetaBaseModel artifact = await ArtifactAsync(initial, "InitialArtifactId", cancellationToken);
            if (artifact.Artifact.Architecture != command.Architecture)
            {
                throw new TrainingRequestException(TrainingFailureCode.UnknownArtifact,
                    $"InitialArtifactId {initial} is a {artifact.Artifact.Architecture}, not a {command.Architecture}.");
            }

            initialWeights = artifact.WeightsFile;
            inputSize ??= artifact.Artifact.InputSize;
        }

        ModelTrainingOptions training = Training(command.Architecture, inputSize, hp, epochs: 30, learningRate: 1e-4);
        (Dataset dataset, string path) = _data.ReadDataset(command.Data, "Data");
        Fold split = TrainingDataResolver.Split(dataset, k, folds, seed);
        var fineTuning = new FineTuningOptions
        {
            Training = training,
            InitialWeights = initialWeights,
            ImageCacheBytes = options.Value.ImageCacheMb * 1024L * 1024L,
        };
        Validate(fineTuning.Validate);
        return new TrainPlan(command.RunId, split, fineTuning, new TrainProvenance(path, $"{k}/{folds}", seed, dataset.Items.Count, command.InitialArtifactId));
    }

    public async Task<FitMetaPlan> PlanAsync(FitMetaLearner command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        RequireRunId(command.RunId);
        if (command.BaseModels is not { Count: > 0 } ids)
        {
            throw Invalid("BaseModels must name at least one base-model artifact.");
        }

        if (ids.Distinct().Count() != ids.Count)
        {
            throw Invalid("BaseModels names an artifact more than once.");
        }

        string method = command.Method ?? "stepwise";
        if (method is not ("stepwise" or "mean"))
        {
            throw Invalid($"Method must be 'stepwise' or 'mean', not '{method}'.");
        }

        string version = command.Version ?? $"run-{command.RunId.ToString("N")[..8]}";
        if (version.Length is 0 or > 100 || version.Any(char.IsControl))
        {
            throw Invalid("Version must be 1–100 printable characters.");
        }

        if (await registry.IsVersionTakenAsync(version, command.RunId, cancellationToken))
        {
            throw Invalid($"Version '{version}' is already used by another ensemble.");
        }

        var models = new List<MetaBaseModel>();
        foreach (Guid id in ids)
        {
            models.Add(await ArtifactAsync(id, "BaseModels", cancellationToken));
        }

        if (command.Data is null)
        {
            return method == "mean"
                ? new FitMetaPlan(command.RunId, models, [], Stepwise: false, version, new { kind = "fit-meta", method })
                : throw Invalid("Method 'stepwise' needs Data: the MOS dataset whose held-out fold the meta-learner is fitted on.");
        }

        int seed = command.Seed ?? 0;
        (int k, int folds) = TrainingDataResolver.ParseFold(command.Fold ?? DefaultFold, "Fold");
        (Dataset dataset, string path) = _data.ReadDataset(command.Data, "Data");
        Fold split = TrainingDataResolver.Split(dataset, k, folds, seed);
        foreach (MetaBaseModel model in models)
        {
            RefuseInSample(model, path, $"{k}/{folds}", seed);
        }

        return new FitMetaPlan(command.RunId, models, split.Test, method == "stepwise", version,
            new { kind = "fit-meta", method, dataset = path, fold = $"{k}/{folds}", seed, items = split.Test.Count });
    }

    /// <summary>What a fine-tuning run records about its data; a fit-meta run reads it back to refuse in-sample fits.</summary>
    public sealed record TrainProvenance(string Dataset, string Fold, int Seed, int Items, Guid? InitialArtifact)
    {
        public string Kind => "train";
    }

    private static void RefuseInSample(MetaBaseModel model, string dataset, string fold, int seed)
    {
        if (model.Artifact.Kind != ModelArtifactRecord.FineTuned)
        {
            return;
        }

        TrainProvenance? trained = JsonSerializer.Deserialize<TrainProvenance>(model.Artifact.Provenance, TrainingJsonOptions.Web);
        if (trained is not null && trained.Dataset == dataset && (trained.Fold != fold || trained.Seed != seed))
        {
            throw Invalid($"Base model {model.Artifact.Id} was fine-tuned on {dataset} with fold {trained.Fold} and seed {trained.Seed}: "
                + $"it trained on images of fold {fold} (seed {seed}), so the meta-learner would be fitted in-sample. Use the fold it validated on.");
        }
    }

    private async Task<MetaBaseModel> ArtifactAsync(Guid id, string field, CancellationToken cancellationToken)
    {
        ModelArtifactRecord artifact = await registry.GetArtifactAsync(id, cancellationToken)
            ?? throw new TrainingRequestException(TrainingFailureCode.UnknownArtifact,
                $"{field}: no base-model artifact {id} (it must be a completed pretrain or train run).");
        string weights = store.Resolve(artifact.Path);
        if (!File.Exists(weights))
        {
            throw new TrainingRequestException(TrainingFailureCode.ArtifactCorrupt, $"{field}: artifact {id}'s weights file {artifact.Path} is missing from the model store.");
        }

        if (ModelStore.Sha256(weights) != artifact.Sha256)
        {
            throw new TrainingRequestException(TrainingFailureCode.ArtifactCorrupt, $"{field}: artifact {id}'s weights file no longer matches its SHA-256.");
        }

        return new MetaBaseModel($"{artifact.Architecture}_{id.ToString("N")[..8]}", artifact, weights);
    }

    private ModelTrainingOptions Training(string architecture, int? inputSize, TrainingHyperparameters hp, int epochs, double learningRate)
    {
        if (string.IsNullOrWhiteSpace(architecture) || !BackboneFactory.Architectures.Contains(architecture))
        {
            throw new TrainingRequestException(TrainingFailureCode.UnknownArchitecture,
                $"Architecture '{architecture}' is unknown. Known: {string.Join(", ", BackboneFactory.Architectures)}.");
        }

        if (inputSize is < 32 or > 1024)
        {
            throw Invalid($"InputSize must be 32–1024 pixels, not {inputSize}.");
        }

        int size = inputSize ?? DefaultInputSize(architecture);
        var training = new ModelTrainingOptions
        {
            Architecture = architecture,
            InputSize = size,
            Epochs = hp.Epochs ?? epochs,
            BatchSize = hp.BatchSize ?? 16,
            LearningRate = hp.LearningRate ?? learningRate,
            WeightDecay = hp.WeightDecay ?? 0.01,
            Patience = hp.Patience ?? 5,
            Seed = hp.Seed ?? 0,
            Threads = options.Value.Threads,
            MaxStepsPerEpoch = hp.StepsPerEpoch,
            MaxValidationSamples = hp.ValidationSamples,
            Loss = new() { MseWeight = hp.MseWeight ?? 0.5, SroccWeight = hp.SroccWeight ?? 0.5 },
        };
        if (training.Epochs > 10_000)
        {
            throw Invalid($"Epochs must be at most 10000, not {training.Epochs}.");
        }

        Validate(training.Validate);
        return training;
    }

    private static int DefaultInputSize(string architecture)
    {
        using var probe = new QualityModel(architecture);
        return probe.InputSize;
    }

    private static void RequireRunId(Guid id)
    {
        if (id == Guid.Empty)
        {
            throw Invalid("RunId is missing (an all-zero GUID).");
        }
    }

    private static void Validate(Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            throw Invalid(e.Message);
        }
    }

    private static TrainingRequestException Invalid(string message) => new(TrainingFailureCode.InvalidRequest, message);
}
