using MetaQap.Imaging.Datasets;
using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Loss;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Training;

/// <summary>
/// Stage 2: fine-tuning on a MOS dataset with the quality-aware loss on MOS (already on [0, 1]), optionally from a
/// pretraining run's weights. Training images are random native-resolution crops of the input size, mirrored at
/// random; validation scores the centre crop of each image (one deterministic view, at native resolution like
/// training, so validation SROCC measures the same input distribution the model learnt on) and early stopping
/// follows its SROCC against MOS. Train and validation items should be content-disjoint (ContentDisjointFolds).
/// </summary>
public sealed class FineTuner
{
    private readonly IReadOnlyList<DatasetItem> _train;
    private readonly IReadOnlyList<DatasetItem> _validation;
    private readonly FineTuningOptions _options;
    private readonly object _dataDescription;

    /// <param name="dataDescription">Provenance for training.json, e.g. the dataset's name and the fold.</param>
    public FineTuner(IReadOnlyList<DatasetItem> train, IReadOnlyList<DatasetItem> validation, FineTuningOptions options, object dataDescription)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataDescription);
        options.Validate();
        if (validation.Count < 3)
        {
            throw new ArgumentException($"Validation needs at least 3 items; got {validation.Count}.", nameof(validation));
        }

        _train = train;
        _validation = validation;
        _options = options;
        _dataDescription = dataDescription;
    }

    /// <inheritdoc cref="Pretrainer.Run"/>
    public TrainingResult Run(string outputDirectory, bool resume = false, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        TrainingOptions training = _options.Training;
        using var threads = TorchThreads.Use(training.Threads);
        torch.manual_seed(training.Seed);
        using var model = new QualityModel(training.Architecture, training.DropoutRate);
        if (_options.InitialWeights is { } path)
        {
            model.LoadSafeTensorsStrict(path);
        }

        var stage = new MosStage(_train, _validation, _options, _dataDescription);
        return new TrainingLoop(model, training, _options, stage, outputDirectory).Run(resume, progress, cancellationToken);
    }

    private sealed class MosStage(IReadOnlyList<DatasetItem> train, IReadOnlyList<DatasetItem> validation, FineTuningOptions options,
        object description) : ITrainingStage
    {
        private readonly QualityAwareLoss _loss = new(options.Training.Loss);
        private readonly DecodedImageStore _images = new(options.ImageCacheBytes);

        public string Name => "finetune";

        public int TrainSamples => train.Count;

        public object Provenance => new
        {
            Dataset = description,
            TrainItems = train.Count,
            ValidationItems = validation.Count,
            ValidationView = "centre crop at native resolution",
        };

        public IEnumerable<PreparedBatch> TrainBatches(int epoch, int steps, int inputSize, CancellationToken cancellationToken)
        {
            int seed = options.Training.Seed;
            int[] order = Enumerable.Range(0, train.Count).ToArray();
            new Random(TrainingSeeds.Mix(seed, epoch, 0, TrainingSeeds.Shuffle)).Shuffle(order);
            int batchSize = options.Training.BatchSize;
            for (int step = 0; step < steps; step++)
            {
                int[] members = order[(step * batchSize)..((step + 1) * batchSize)];
                yield return Assemble(members.Select(i => train[i]).ToArray(), cancellationToken, (item, image, position) =>
                    QualityPreservingAugmentation.ForTraining(image, inputSize,
                        new Random(TrainingSeeds.Mix(seed, epoch, members[position], TrainingSeeds.Augment)), options.Training.FlipHorizontal));
            }
        }

        public IEnumerable<PreparedBatch> ValidationBatches(int inputSize, CancellationToken cancellationToken)
        {
            IReadOnlyList<DatasetItem> items = validation;
            if (options.Training.MaxValidationSamples is { } max && max < items.Count)
            {
                int[] subset = Enumerable.Range(0, items.Count).ToArray();
                new Random(TrainingSeeds.Mix(options.Training.Seed, 0, 0, TrainingSeeds.ValidationSubset)).Shuffle(subset);
                items = [.. subset[..max].Order().Select(i => validation[i])];
            }

            int batchSize = options.Training.BatchSize;
            for (int start = 0; start < items.Count; start += batchSize)
            {
                DatasetItem[] members = [.. items.Skip(start).Take(batchSize)];
                yield return Assemble(members, cancellationToken, (_, image, _) => QualityPreservingAugmentation.ForValidation(image, inputSize));
            }
        }

        public Tensor Loss(QualityOutput output, Tensor quality, Tensor? distortionClasses) => _loss.Compute(output.Quality, quality);

        private PreparedBatch Assemble(DatasetItem[] members, CancellationToken cancellationToken, Func<DatasetItem, RgbImage, int, RgbImage> view)
        {
            var images = new RgbImage[members.Length];
            Parallel.For(0, members.Length, new ParallelOptions { CancellationToken = cancellationToken },
                i => images[i] = view(members[i], _images.Get(members[i].ImagePath), i));
            return BatchAssembler.Assemble(images, [.. members.Select(m => m.Mos)], null,
                Features.ImageNetNormalization.For(options.Training.Architecture));
        }
    }
}
