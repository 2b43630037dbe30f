using MetaQap.Imaging.Corpus;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Preprocessing;
using MetaQap.Modeling.Loss;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Runtime;
using MetaQap.Modeling.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Training;

/// <summary>
/// Stage 1: quality-aware pretraining on the streamed corpus. The pristine contents are split (content-disjoint)
/// into train and validation; the loss is the quality-aware loss on pseudo-quality / 100 plus
/// w · cross-entropy of the distortion type (type − 1). Validation reports the quality head's SROCC/PLCC against
/// pseudo-quality and the distortion-type accuracy; early stopping follows the SROCC.
/// </summary>
public sealed class Pretrainer
{
    private readonly QualityAwareCorpus _corpus;
    private readonly PretrainingOptions _options;

    public Pretrainer(QualityAwareCorpus corpus, PretrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _corpus = corpus;
        _options = options;
    }

    /// <summary>
    /// Trains a new seeded model into <paramref name="outputDirectory"/> (model.safetensors, training.json,
    /// checkpoints/), or continues the run there from its last checkpoint when <paramref name="resume"/>.
    /// </summary>
    public TrainingResult Run(string outputDirectory, bool resume = false, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        TrainingOptions training = _options.Training;
        using var threads = TorchThreads.Use(training.Threads);
        torch.manual_seed(training.Seed);
        using var model = new QualityModel(training.Architecture, training.DropoutRate);
        if (_options.InitialBackboneWeights is { } backboneWeights)
        {
            // ImageNet initialisation: the backbone's state dict only; the heads start from their seeded init.
            model.Backbone.LoadSafeTensorsStrict(backboneWeights);
        }

        int inputSize = training.InputSize ?? model.InputSize;
        if (_corpus.Options.Size < inputSize)
        {
            throw new ArgumentException($"Corpus samples are {_corpus.Options.Size}px but the input is {inputSize}px; training never upscales.");
        }

        var stage = new CorpusStage(_corpus, _options);
        return new TrainingLoop(model, training, _options, stage, outputDirectory).Run(resume, progress, cancellationToken);
    }

    private sealed class CorpusStage : ITrainingStage
    {
        private readonly QualityAwareCorpus _corpus;
        private readonly PretrainingOptions _options;
        private readonly QualityAwareLoss _loss;
        private readonly long[] _train;
        private readonly long[] _validation;
        private readonly int[] _trainContents;
        private readonly int[] _validationContents;

        public CorpusStage(QualityAwareCorpus corpus, PretrainingOptions options)
        {
            _corpus = corpus;
            _options = options;
            _loss = new QualityAwareLoss(options.Training.Loss);
            (_trainContents, _validationContents) = corpus.SplitContents(options.ValidationFraction, options.Training.Seed);
            if (_trainContents.Length == 0 || _validationContents.Length == 0)
            {
                throw new ArgumentException($"{corpus.Source.ContentCount} contents cannot be split into train and validation; use at least 2.");
            }

            _train = corpus.IndicesOf(_trainContents);
            _validation = corpus.IndicesOf(_validationContents);
            if (options.Training.MaxValidationSamples is { } max && max < _validation.Length)
            {
                new Random(TrainingSeeds.Mix(options.Training.Seed, 0, 0, TrainingSeeds.ValidationSubset)).Shuffle(_validation);
                _validation = _validation[..max];
                Array.Sort(_validation);
            }
        }

        public string Name => "pretrain";

        public int TrainSamples => _train.Length;

        public object Provenance => new
        {
            Corpus = "quality-aware",
            Source = _corpus.Source.Name,
            Contents = _corpus.Source.ContentCount,
            TrainContents = _trainContents.Length,
            ValidationContents = _validationContents.Length,
            ValidationContentIds = _validationContents.Order().Select(_corpus.Source.ContentId).ToArray(),
            SampleSize = _corpus.Options.Size,
            CorpusSeed = _corpus.Options.Seed,
            Types = _corpus.Options.Types.Count,
            Levels = _corpus.Options.Levels.Count,
            TrainSamplesPerEpoch = _train.Length,
            ValidationSamples = _validation.Length,
        };

        public IEnumerable<PreparedBatch> TrainBatches(int epoch, int steps, int inputSize, CancellationToken cancellationToken)
        {
            int seed = _options.Training.Seed;
            long[] order = (long[])_train.Clone();
            new Random(TrainingSeeds.Mix(seed, epoch, 0, TrainingSeeds.Shuffle)).Shuffle(order);
            long[] chosen = order[..(steps * _options.Training.BatchSize)];
            // Corpus epoch = training epoch: every epoch sees new pristine crops and new noise of the same contents.
            return Batches(_corpus.Stream(chosen, epoch, cancellationToken), _options.Training.BatchSize,
                s => QualityPreservingAugmentation.ForTraining(s.Image, inputSize,
                    new Random(TrainingSeeds.Mix(seed, epoch, s.Index, TrainingSeeds.Augment)), _options.Training.FlipHorizontal));
        }

        public IEnumerable<PreparedBatch> ValidationBatches(int inputSize, CancellationToken cancellationToken) =>
            Batches(_corpus.Stream(_validation, 0, cancellationToken), _options.Training.BatchSize,
                s => QualityPreservingAugmentation.ForValidation(s.Image, inputSize));

        public Tensor Loss(QualityOutput output, Tensor quality, Tensor? distortionClasses)
        {
            Tensor loss = _loss.Compute(output.Quality, quality);
            if (_options.DistortionLossWeight > 0 && distortionClasses is not null)
            {
                loss = loss.Plus(_options.DistortionLossWeight * nn.functional.cross_entropy(output.DistortionLogits, distortionClasses));
            }

            return loss;
        }

        private IEnumerable<PreparedBatch> Batches(IEnumerable<CorpusSample> samples, int batchSize, Func<CorpusSample, RgbImage> view)
        {
            ChannelNormalization normalization = Features.ImageNetNormalization.For(_options.Training.Architecture);
            var images = new List<RgbImage>(batchSize);
            var quality = new List<double>(batchSize);
            var classes = new List<long>(batchSize);
            foreach (CorpusSample sample in samples)
            {
                images.Add(view(sample));
                quality.Add(sample.PseudoQuality / 100.0);
                classes.Add((long)sample.Type - 1);
                if (images.Count == batchSize)
                {
                    yield return BatchAssembler.Assemble(images, quality, classes, normalization);
                    images.Clear();
                    quality.Clear();
                    classes.Clear();
                }
            }

            if (images.Count > 0)
            {
                yield return BatchAssembler.Assemble(images, quality, classes, normalization);
            }
        }
    }
}
