using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Preprocessing;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Runtime;
using MetaQap.Modeling.Scoring;
using MetaQap.Modeling.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Ensembles;

/// <summary>
/// A loaded ensemble folder (docs/model-artifact.md) that scores decoded images: every base model runs on the whole
/// batch (each image preprocessed on its own by <see cref="ScoringPreprocessor"/>), base scores are mapped to 0–100
/// by their output scale, the meta-learner combines them and the result is clamped to [0, 100]. Uncertainty is
/// the population standard deviation of all base models' scores; distortion hints are the top three of the softmax
/// of the distortion logits averaged over the base models that have a distortion head. Models run in eval mode
/// (BatchNorm uses its running statistics, dropout is off), so a score does not depend on its batch mates.
/// Not thread-safe: one <see cref="Score"/> call at a time.
/// </summary>
public sealed class EnsemblePredictor : IQualityScorer, IDisposable
{
    /// <summary>How many distortion types each score lists.</summary>
    public const int DistortionHintCount = 3;

    private readonly List<QualityModel> _models;
    private readonly List<BaseModelRunner> _runners;
    private readonly bool[] _hasHead;
    private readonly IReadOnlyList<string> _distortionLabels;
    private readonly int[] _predictorIndex;
    private bool _disposed;

    private EnsemblePredictor(EnsembleManifest manifest, List<QualityModel> models, List<BaseModelRunner> runners, IReadOnlyList<string> distortionLabels)
    {
        Manifest = manifest;
        _models = models;
        _runners = runners;
        _distortionLabels = distortionLabels;
        _hasHead = [.. manifest.BaseModels.Select(m => m.DistortionLabels.Count > 0)];
        var names = manifest.BaseModels.Select(m => m.Name).ToList();
        _predictorIndex = [.. manifest.MetaLearner.Predictors.Select(p => names.IndexOf(p))];
    }

    public EnsembleManifest Manifest { get; }

    /// <summary>The base models as they run, in manifest order (tests read their trunk groups).</summary>
    internal IReadOnlyList<BaseModelRunner> Runners => _runners;

    public string ModelVersion => Manifest.Version;

    /// <summary>
    /// The largest view side (input size for a model without one) of the base models: <see cref="ScoringPreprocessor.Crop"/>
    /// scales any image whose shorter side is at least that down to the same view, so a decoder may stop there.
    /// </summary>
    public int? DecodeShorterSide { get; private init; }

    /// <summary>
    /// Loads an ensemble folder: manifest checks and SHA-256 of every weights file (<see cref="EnsembleArtifact.Load"/>),
    /// then each base model is built, its weights strict-loaded and its BatchNorms folded into the convolutions before
    /// them (<see cref="QualityModel.PrepareForInference"/>: the same scores up to float rounding, faster).
    /// </summary>
    /// <exception cref="ArtifactException">The folder, manifest or a weights file is refused; the message says why.</exception>
    /// <exception cref="InvalidOperationException">The requested device is not available.</exception>
    public static EnsemblePredictor Load(string directory, PredictorOptions? options = null)
    {
        options ??= new PredictorOptions();
        NativeHeap.RetainFreedMemory();
        Device device = ResolveDevice(options.Device);
        if (options.Threads > 0)
        {
            torch.set_num_threads(options.Threads);
        }

        EnsembleManifest manifest = EnsembleArtifact.Load(directory);
        IReadOnlyList<string> labels = CheckDistortionLabels(manifest);
        var models = new List<QualityModel>();
        var runners = new List<BaseModelRunner>();
        try
        {
            for (int i = 0; i < manifest.BaseModels.Count; i++)
            {
                BaseModelEntry entry = manifest.BaseModels[i];
                QualityModel model = Build(directory, entry, i);
                models.Add(model);
                model.to(device);
                model.eval();
                model.PrepareForInference();
                runners.Add(new BaseModelRunner(entry.Name, model, entry.InputSize, entry.ViewSide, BaseModelRunner.Normalization(entry), entry.OutputScale, device));
            }
        }
        catch
        {
            models.ForEach(m => m.Dispose());
            throw;
        }

        SharedTrunks.Group(runners, manifest.BaseModels);
        return new EnsemblePredictor(manifest, models, runners, labels)
        {
            DecodeShorterSide = manifest.BaseModels.Max(m => m.ViewSide ?? m.InputSize),
        };
    }

    /// <summary>
    /// When every base model is a head on <paramref name="trunk"/> (same weights, tensor by tensor) that sees the whole
    /// square view with <paramref name="normalization"/>: each base model's scores (0–100, [model][image], manifest
    /// order) from that trunk's block maps of a batch of square crops, at whatever side the crops have (its own scores
    /// when that is its view). A calibration of such an ensemble then measures each image with one trunk pass instead
    /// of two, and writes the base models at its own view. Null when any base model is not such a head.
    /// </summary>
    internal Func<IReadOnlyList<Tensor>, double[][]>? HeadsOn(ResNetCntk trunk, ChannelNormalization normalization)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_runners.All(r => r.IsHeadOn(trunk, normalization)))
        {
            return null;
        }

        return blocks =>
        {
            using Tensor? statistics = BaseModelRunner.SharedStatistics(_runners, blocks);
            return [.. _runners.Select(r => r.RunOnBlocks(blocks, statistics, null))];
        };
    }

    public IReadOnlyList<ImageScore> Score(IReadOnlyList<RgbImage> images, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
        {
            return [];
        }

        int n = images.Count;
        int classes = QualityModel.DistortionClasses;
        var baseScores = new double[_runners.Count][];
        var logitSum = new double[n * classes];
        var logits = new float[n * classes];
        int heads = 0;
        var crops = new Dictionary<(int InputSize, int? ViewSide), RgbImage[]>();
        var groups = new Dictionary<int, Dictionary<int, (double[] Scores, float[]? Logits)>>();

        using (NewDisposeScope())
        {
            for (int m = 0; m < _runners.Count; m++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                BaseModelRunner runner = _runners[m];
                if (!crops.TryGetValue((runner.InputSize, runner.ViewSide), out RgbImage[]? batch))
                {
                    batch = new RgbImage[n];
                    for (int i = 0; i < n; i++)
                    {
                        batch[i] = ScoringPreprocessor.Crop(images[i], runner.InputSize, runner.ViewSide);
                    }

                    crops[(runner.InputSize, runner.ViewSide)] = batch;
                }

                float[]? ownLogits = _hasHead[m] ? logits : null;
                if (runner.TrunkGroup is { } group)
                {
                    if (!groups.TryGetValue(group, out Dictionary<int, (double[] Scores, float[]? Logits)>? outputs))
                    {
                        outputs = RunTrunkGroup(group, batch, cancellationToken);
                        groups[group] = outputs;
                    }

                    baseScores[m] = outputs[m].Scores;
                    outputs[m].Logits?.CopyTo(logits, 0);
                }
                else
                {
                    baseScores[m] = runner.Run(batch, ownLogits);
                }

                if (_hasHead[m])
                {
                    heads++;
                    for (int k = 0; k < logitSum.Length; k++)
                    {
                        logitSum[k] += logits[k];
                    }
                }
            }
        }

        var results = new ImageScore[n];
        for (int i = 0; i < n; i++)
        {
            results[i] = Combine(baseScores, i, heads == 0 ? null : logitSum.AsSpan(i * classes, classes), heads);
        }

        return results;
    }

    /// <summary>
    /// Every member of a shared-trunk group on the batch: the trunk runs once per chunk of images and each member's
    /// head reads the chunk's maps. Chunks keep a pass near two 512² images, because larger batches at high
    /// resolution only add memory traffic on a CPU (docs/imagenet.md); a score never depends on its chunk mates.
    /// </summary>
    private Dictionary<int, (double[] Scores, float[]? Logits)> RunTrunkGroup(int group, RgbImage[] batch, CancellationToken cancellationToken)
    {
        int[] members = [.. Enumerable.Range(0, _runners.Count).Where(i => _runners[i].TrunkGroup == group)];
        BaseModelRunner first = _runners[members[0]];
        int chunk = Math.Max(1, TrunkChunkPixels / (first.InputSize * first.InputSize));
        int classes = QualityModel.DistortionClasses;
        var outputs = members.ToDictionary(m => m, m => (Scores: new double[batch.Length], Logits: _hasHead[m] ? new float[batch.Length * classes] : null));
        var chunkLogits = new float[chunk * classes];
        for (int start = 0; start < batch.Length; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RgbImage[] part = batch[start..Math.Min(batch.Length, start + chunk)];
            using var scope = NewDisposeScope();
            Tensor[] blocks = first.TrunkBlocks(part);
            Tensor? statistics = BaseModelRunner.SharedStatistics(members.Select(m => _runners[m]), blocks);
            foreach (int m in members)
            {
                (double[] scores, float[]? logits) = outputs[m];
                _runners[m].RunOnBlocks(blocks, statistics, logits is null ? null : chunkLogits).CopyTo(scores, start);
                if (logits is not null)
                {
                    Array.Copy(chunkLogits, 0, logits, start * classes, part.Length * classes);
                }
            }
        }

        return outputs;
    }

    private const int TrunkChunkPixels = 2 * 512 * 512;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _models.ForEach(m => m.Dispose());
    }

    private ImageScore Combine(double[][] baseScores, int image, Span<double> logitSum, int heads)
    {
        var byName = new Dictionary<string, double>(_runners.Count, StringComparer.Ordinal);
        double mean = 0;
        for (int m = 0; m < _runners.Count; m++)
        {
            byName[_runners[m].Name] = baseScores[m][image];
            mean += baseScores[m][image];
        }

        mean /= _runners.Count;
        double variance = 0;
        for (int m = 0; m < _runners.Count; m++)
        {
            double d = baseScores[m][image] - mean;
            variance += d * d;
        }

        MetaLearnerEntry meta = Manifest.MetaLearner;
        double score = meta.Intercept;
        for (int p = 0; p < _predictorIndex.Length; p++)
        {
            score += meta.Coefficients[p] * baseScores[_predictorIndex[p]][image];
        }

        IReadOnlyList<DistortionHint> hints = [];
        if (heads > 0)
        {
            for (int k = 0; k < logitSum.Length; k++)
            {
                logitSum[k] /= heads;
            }

            hints = DistortionHints.Top(logitSum, _distortionLabels, DistortionHintCount);
        }

        return new ImageScore(Math.Clamp(score, 0, 100), byName, Math.Sqrt(variance / _runners.Count), hints);
    }

    private static QualityModel Build(string directory, BaseModelEntry entry, int index)
    {
        string jsonPath = $"$.base_models[{index}]";
        QualityModel model;
        try
        {
            model = new QualityModel(entry.Architecture, qualityHidden: entry.QualityHeadHidden ?? 0);
        }
        catch (ArgumentException e)
        {
            throw new ArtifactException(ArtifactErrorCode.InvalidManifest,
                $"Base model '{entry.Name}': {e.Message}", $"{jsonPath}.architecture", e);
        }

        try
        {
            model.LoadSafeTensorsStrict(Path.Combine(directory, entry.WeightsFile));
        }
        catch (Exception e) when (e is StateDictMismatchException or InvalidDataException or IOException)
        {
            model.Dispose();
            throw new ArtifactException(ArtifactErrorCode.InvalidManifest,
                $"Weights file '{entry.WeightsFile}' of base model '{entry.Name}' does not load into architecture '{entry.Architecture}': {e.Message}",
                $"{jsonPath}.weights_file", e);
        }

        return model;
    }

    /// <summary>The distortion labels shared by every model with a head; they must match the head's 25 outputs.</summary>
    private static IReadOnlyList<string> CheckDistortionLabels(EnsembleManifest manifest)
    {
        IReadOnlyList<string>? labels = null;
        for (int i = 0; i < manifest.BaseModels.Count; i++)
        {
            IReadOnlyList<string> own = manifest.BaseModels[i].DistortionLabels;
            if (own.Count == 0)
            {
                continue;
            }

            if (own.Count != QualityModel.DistortionClasses)
            {
                throw new ArtifactException(ArtifactErrorCode.InvalidManifest,
                    $"Base model '{manifest.BaseModels[i].Name}' lists {own.Count} distortion labels; its distortion head has {QualityModel.DistortionClasses} outputs.",
                    $"$.base_models[{i}].distortion_labels");
            }

            if (labels is not null && !labels.SequenceEqual(own, StringComparer.Ordinal))
            {
                throw new ArtifactException(ArtifactErrorCode.InvalidManifest,
                    $"Base model '{manifest.BaseModels[i].Name}' orders its distortion labels differently from an earlier model; their logits cannot be averaged.",
                    $"$.base_models[{i}].distortion_labels");
            }

            labels ??= own;
        }

        return labels ?? [];
    }

    private static Device ResolveDevice(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        // Checked before torch.device(), which on a CPU-only runtime fails with a less helpful message.
        if (name.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) && !torch.cuda.is_available())
        {
            throw new InvalidOperationException(
                $"Device '{name}' was requested but CUDA is not available (this build or machine has no CUDA runtime); use 'cpu'.");
        }

        try
        {
            return torch.device(name);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new InvalidOperationException($"Unknown or unusable device '{name}'; use 'cpu', 'cuda' or 'cuda:N'.", e);
        }
    }
}
