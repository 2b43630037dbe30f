using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Preprocessing;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Quality;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Ensembles;

/// <summary>One base model with its preprocessing and output mapping, run in eval mode without gradients.</summary>
internal sealed class BaseModelRunner
{
    private readonly QualityModel _model;
    private readonly ChannelNormalization _normalization;
    private readonly OutputScale _outputScale;
    private readonly Device _device;
    private long[]? _columns; // this head's columns of SharedStatistics, found on first use

    public BaseModelRunner(string name, QualityModel model, int inputSize, int? viewSide, ChannelNormalization normalization, OutputScale outputScale, Device device)
    {
        Name = name;
        _model = model;
        InputSize = inputSize;
        ViewSide = viewSide;
        _normalization = normalization;
        _outputScale = outputScale;
        _device = device;
    }

    public string Name { get; }

    public int InputSize { get; }

    /// <summary>See <see cref="BaseModelEntry.ViewSide"/>.</summary>
    public int? ViewSide { get; }

    /// <summary>
    /// Scores (0–100, after the output scale) and, when <paramref name="logits"/> is given, the raw distortion
    /// logits ([N·25], row-major) of crops already at <see cref="InputSize"/>. Tensors live in the caller's scope.
    /// </summary>
    public double[] Run(IReadOnlyList<RgbImage> crops, float[]? logits)
    {
        using Tensor input = Input(crops);
        _model.eval();
        using var noGrad = no_grad();
        return Outputs(_model.forward(input), logits);
    }

    /// <summary>
    /// The frozen trunk this model shares with others of the same <see cref="TrunkGroup"/>, if any: its block maps
    /// are computed once per batch (<see cref="TrunkBlocks"/>) and each model takes its own features from them.
    /// </summary>
    public int? TrunkGroup { get; set; }

    /// <summary>The shared trunk's maps for a batch of crops at this model's input (tensors in the caller's scope).</summary>
    public Tensor[] TrunkBlocks(IReadOnlyList<RgbImage> crops)
    {
        using Tensor input = Input(crops);
        using var noGrad = no_grad();
        return ((ResNetCntk)_model.Backbone).ForwardBlocks(input);
    }

    /// <summary>
    /// <see cref="Run"/> on a shared trunk's maps; with <paramref name="statistics"/> (<see cref="SharedStatistics"/>),
    /// a multi-level head reads its columns from them instead of computing them again.
    /// </summary>
    public double[] RunOnBlocks(IReadOnlyList<Tensor> blocks, Tensor? statistics, float[]? logits)
    {
        using var noGrad = no_grad();
        var trunk = (ResNetCntk)_model.Backbone;
        if (statistics is not null && trunk.FeatureMaps is not null)
        {
            // A tensor per call, not cached: one made inside a caller's dispose scope would be freed with it.
            using Tensor columns = tensor(_columns ??= [.. ResNetCntk.StatisticColumns(trunk.Architecture).Select(c => (long)c)]);
            using Tensor selected = statistics.index_select(1, columns);
            return Outputs(_model.Heads(selected), logits);
        }

        using Tensor features = trunk.FeaturesOf(blocks);
        return Outputs(_model.Heads(features), logits);
    }

    /// <summary>
    /// The statistics of all ten maps (<see cref="ResNetCntk.MultiLevel"/>, columns as <see cref="ResNetCntk.StatisticColumns(string)"/>
    /// says) when two or more of <paramref name="runners"/> read multi-level features, else null. Each multi-level head
    /// computing its own would pass over every map again: at 512 px the BIQ2021 preset's four multi-level heads spent
    /// about 100 ms per pair of images on it, against about 250–290 ms for the trunk itself. The columns are the same
    /// numbers either way (per map and channel).
    /// </summary>
    public static Tensor? SharedStatistics(IEnumerable<BaseModelRunner> runners, IReadOnlyList<Tensor> blocks)
    {
        ArgumentNullException.ThrowIfNull(runners);
        int multiLevel = runners.Count(r => r._model.Backbone is ResNetCntk { FeatureMaps: not null });
        if (multiLevel < 2)
        {
            return null;
        }

        using var noGrad = no_grad();
        return ResNetCntk.MultiLevel(blocks);
    }

    /// <summary>
    /// Whether this model is a head on <paramref name="trunk"/> (same weights) that sees the whole square view with
    /// <paramref name="normalization"/>: then <see cref="RunOnBlocks"/> on that trunk's maps of square crops of any side
    /// gives its scores at that side — exactly its own scores when the side is its <see cref="InputSize"/>. Its heads
    /// read channel statistics pooled over space, so they apply at any side.
    /// </summary>
    public bool IsHeadOn(ResNetCntk trunk, ChannelNormalization normalization) =>
        ViewSide == InputSize && _model.Backbone is ResNetCntk
        && _normalization.Mean.SequenceEqual(normalization.Mean) && _normalization.Std.SequenceEqual(normalization.Std)
        && SharedTrunks.SameWeights(_model.Backbone, trunk);

    /// <summary>The model's backbone, to compare trunks when grouping.</summary>
    public QualityModel Model => _model;

    private Tensor Input(IReadOnlyList<RgbImage> crops)
    {
        float[] samples = ScoringPreprocessor.ToBatch(crops, InputSize, _normalization);
        using Tensor cpuInput = tensor(samples, [crops.Count, 3, InputSize, InputSize]);
        return cpuInput.to(_device);
    }

    private double[] Outputs(QualityOutput output, float[]? logits)
    {
        using Tensor quality = output.Quality;
        using Tensor distortion = output.DistortionLogits;
        using Tensor qualityCpu = quality.to(float32).cpu();
        float[] raw = qualityCpu.data<float>().ToArray();
        var scores = new double[raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            scores[i] = (_outputScale.Scale * raw[i]) + _outputScale.Offset;
        }

        if (logits is not null)
        {
            using Tensor logitsCpu = distortion.to(float32).cpu();
            logitsCpu.data<float>().CopyTo(logits, 0);
        }

        return scores;
    }

    public static ChannelNormalization Normalization(BaseModelEntry entry) => new(
        [(float)entry.NormalizationMean[0], (float)entry.NormalizationMean[1], (float)entry.NormalizationMean[2]],
        [(float)entry.NormalizationStd[0], (float)entry.NormalizationStd[1], (float)entry.NormalizationStd[2]]);
}
