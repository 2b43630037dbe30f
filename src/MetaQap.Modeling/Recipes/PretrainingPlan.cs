using System.Globalization;
using MetaQap.Imaging.Corpus;
using MetaQap.Imaging.Pristine;
using MetaQap.Modeling.Training;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// The pristine content of a recipe (synthetic dead leaves seeded by the recipe seed, plus optional photos), its
/// one content split, and the quality-aware pretraining of each base model on the pretraining contents only: the
/// pretrainer gets a <see cref="ContentSubsetSource"/>, so the held-out contents are invisible to it.
/// </summary>
internal sealed class PretrainingPlan
{
    public const string WeightsFile = "model.safetensors";

    private readonly RecipeConfig _config;

    private PretrainingPlan(RecipeConfig config, IPristineSource source, int[] train, int[] heldOut, IReadOnlyList<string> descriptions)
    {
        _config = config;
        Source = source;
        Train = new ContentSubsetSource(source, train, source.Name + ":pretrain");
        HeldOut = new ContentSubsetSource(source, heldOut, source.Name + ":held-out");
        TrainingData = descriptions;
    }

    public IPristineSource Source { get; }

    public ContentSubsetSource Train { get; }

    public ContentSubsetSource HeldOut { get; }

    /// <summary>Provenance lines: each source with its origin, size and split, then the corpus.</summary>
    public IReadOnlyList<string> TrainingData { get; }

    public static PretrainingPlan Create(RecipeConfig config, PristineInputs inputs, RecipeLog log)
    {
        var sources = new List<IPristineSource>();
        var describe = new List<Func<int, int, string>>();
        int synthetic = config.Pretraining.SyntheticContents;
        if (synthetic > 0)
        {
            sources.Add(new DeadLeavesSource(synthetic, config.Seed));
            describe.Add((train, held) => Invariant(
                $"synthetic dead-leaves (project-generated): {synthetic} contents, seed {config.Seed}; {train} for pretraining, {held} held out"));
        }

        if (inputs.PhotosFolder is { } folder)
        {
            int minSide = config.LargestInputSize();
            // Rank heads see photos as the worker sees an image, scaled to the view side, and crops at that scale.
            int? viewSide = config.Heads.Count > 0 ? config.Ranking.ViewSide : null;
            FolderPristineSource photos = OpenPhotos(folder, inputs.Exclude, minSide, viewSide, log);
            sources.Add(photos);
            string excluded = inputs.Exclude.Count > 0 ? $", excluding {string.Join(" ", inputs.Exclude)}" : "";
            describe.Add((train, held) => Invariant(
                $"photos: {Path.GetFullPath(folder)} ({photos.ContentCount} files{excluded}); {train} for pretraining, {held} held out"));
        }

        if (sources.Count == 0)
        {
            throw new RecipeException("No pristine content: pretraining.synthetic_contents is 0 and no photos folder was given.");
        }

        IPristineSource source = sources.Count == 1 ? sources[0] : new CompositePristineSource([.. sources]);
        (int[] train, int[] heldOut) = ContentSplit.Stratified([.. sources.Select(s => s.ContentCount)], config.HeldOut.ContentFraction, config.Seed);
        if (train.Length < 2 || heldOut.Length < 1)
        {
            throw new RecipeException(Invariant(
                $"{source.ContentCount} pristine contents give {train.Length} for pretraining and {heldOut.Length} held out; need at least 2 and 1."));
        }

        var descriptions = new List<string>();
        int start = 0;
        for (int s = 0; s < sources.Count; s++)
        {
            int end = start + sources[s].ContentCount;
            int from = start;
            descriptions.Add(describe[s](train.Count(c => c >= from && c < end), heldOut.Count(c => c >= from && c < end)));
            start = end;
        }

        if (config.BaseModels.Count > 0)
        {
            descriptions.Add(Invariant(
                $"quality-aware corpus: the 25 KADID-10k distortion types x 5 levels applied on the fly, pseudo-quality from full-reference metrics (SSIM, MS-SSIM, GMSD, chroma), seed {config.Seed}"));
        }

        if (config.Heads.Count > 0)
        {
            RankingRecipe r = config.Ranking;
            descriptions.Add(Invariant(
                $"rank heads: the pretraining contents viewed at a shorter side of {r.ViewSide}, {r.CropsPerContent} crop(s) of {r.CropSize} px each, pristine and under {string.Join(", ", r.Types)} at levels 1-5, ranked within each crop (no opinion score), seed {config.Seed}"));
        }

        descriptions.Add(Invariant(
            $"held-out set: {config.HeldOut.Samples} samples of the held-out contents under the 25 KADID-10k types x 5 levels, pseudo-quality from full-reference metrics, for the meta-learner"));
        return new PretrainingPlan(config, source, train, heldOut, descriptions);
    }

    /// <summary>Pretrains <paramref name="model"/> in <c>pretrain/&lt;name&gt;/</c> (skipped when complete).</summary>
    public (string Weights, UnitResult<PretrainOutcome> Result) Pretrain(RecipeRunFolder folder, BaseModelRecipe model, RecipeLog log,
        CancellationToken cancellationToken)
    {
        string directory = folder.PathOf("pretrain", model.Name);
        string label = $"pretrain {model.Name}";
        UnitResult<PretrainOutcome> result = WorkUnit.Run(folder, directory, label, log, dir =>
        {
            PretrainingRecipe p = _config.Pretraining;
            var options = new PretrainingOptions
            {
                Training = new TrainingOptions
                {
                    Architecture = model.Architecture,
                    InputSize = model.InputSize,
                    Seed = model.Seed,
                    Threads = _config.Threads,
                    Epochs = p.Epochs,
                    MaxStepsPerEpoch = p.StepsPerEpoch,
                    BatchSize = p.BatchSize,
                    LearningRate = p.LearningRate,
                    Patience = p.Patience,
                    MaxValidationSamples = p.ValidationSamples,
                },
                DistortionLossWeight = p.DistortionLossWeight,
                ValidationFraction = p.ValidationFraction,
            };
            // Samples at the input size: pretraining sees whole distorted crops, as `metaqap pretrain` does.
            var corpus = new QualityAwareCorpus(Train, new QualityAwareCorpusOptions
            {
                Size = model.InputSize,
                Seed = _config.Seed,
                MaxDegreeOfParallelism = _config.Threads > 0 ? _config.Threads : Environment.ProcessorCount,
            });
            TrainingResult run = new Pretrainer(corpus, options).Run(dir, resume: true, log.Training(label), cancellationToken);
            return new PretrainOutcome(run.BestEpoch, run.BestValidationSrocc, run.History.Count);
        });
        return (Path.Combine(directory, WeightsFile), result);
    }

    private static FolderPristineSource OpenPhotos(string folder, IReadOnlyList<string> exclude, int minSide, int? viewSide, RecipeLog log)
    {
        if (!Directory.Exists(folder))
        {
            throw new RecipeException($"Photos folder {Path.GetFullPath(folder)} does not exist.");
        }

        // Photos smaller than the largest input would fail mid-run (training never upscales): leave them out now.
        var photos = new FolderPristineSource(folder, viewSide is null
            ? new FolderSourceOptions { Exclude = exclude, MinSide = minSide }
            : new FolderSourceOptions { Exclude = exclude, MinSide = minSide, ViewSide = viewSide, MinScale = 1f });
        foreach (string skipped in photos.Skipped)
        {
            log.Line($"photos: left out {skipped}");
        }

        if (photos.ContentCount == 0)
        {
            throw new RecipeException($"Photos folder {Path.GetFullPath(folder)} has no usable photos (jpg, png, webp, bmp of at least {minSide} px).");
        }

        return photos;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
