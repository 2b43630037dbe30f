using MetaQap.Imaging.Datasets;
using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Preprocessing;
using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Ensembles;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Features;

/// <summary>
/// Runs a frozen <see cref="ResNetCntk"/> trunk over a dataset once and keeps, per image, the multi-level statistics
/// of all ten of its feature maps (stem and nine blocks: spatial mean and std per channel, square-rooted; 4,992
/// values, <see cref="BlockFeatureLayout"/>). Every frozen-feature head and the meta-learner's folds then train from
/// this matrix in seconds instead of re-running the trunk. Images are preprocessed exactly as the ensemble does at
/// scoring time (<see cref="ScoringPreprocessor.Crop"/> with the base model's input size and view side), so a head
/// fitted here scores the same numbers in the worker.
/// </summary>
public sealed class TrunkFeatureExtractor
{
    private readonly ResNetCntk _trunk;
    private readonly ChannelNormalization _normalization;

    /// <param name="trunk">Loaded, in eval mode; folded or not.</param>
    public TrunkFeatureExtractor(ResNetCntk trunk)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        _trunk = trunk;
        _normalization = ImageNetNormalization.Channel;
    }

    /// <summary>Rows of <see cref="BlockFeatureLayout.Width"/> floats, one per item in order; a failed decode throws.</summary>
    public float[][] Extract(IReadOnlyList<DatasetItem> items, int inputSize, int? viewSide, int batchSize = 8,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var rows = new float[items.Count][];
        for (int start = 0; start < items.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(batchSize, items.Count - start);
            RgbImage[] crops = DatasetImages.Decode(items, start, count, null, image => ScoringPreprocessor.Crop(image, inputSize, viewSide),
                cancellationToken);
            float[][] features = Extract(crops);
            Array.Copy(features, 0, rows, start, count);
            progress?.Report(start + count);
        }

        return rows;
    }

    /// <summary>The normalisation the trunk's input gets (what a head on these maps must have been trained with).</summary>
    public ChannelNormalization Normalization => _normalization;

    /// <summary>
    /// Block features of already-cropped square images; <paramref name="onBlocks"/>, if given, also reads the trunk's
    /// ten maps of the batch (valid only during the call), so heads on the same trunk need no second pass.
    /// </summary>
    public float[][] Extract(IReadOnlyList<RgbImage> crops, Action<Tensor[]>? onBlocks = null)
    {
        ArgumentNullException.ThrowIfNull(crops);
        if (crops.Count == 0)
        {
            return [];
        }

        int size = crops[0].Width;
        float[] samples = ScoringPreprocessor.ToBatch(crops, size, _normalization);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor input = tensor(samples, [crops.Count, 3, size, size]);
        Tensor[] blocks = _trunk.ForwardBlocks(input);
        onBlocks?.Invoke(blocks);
        Tensor features = ResNetCntk.MultiLevel(blocks).contiguous();
        float[] flat = features.data<float>().ToArray();
        int width = BlockFeatureLayout.Width;
        var rows = new float[crops.Count][];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = flat.AsSpan(i * width, width).ToArray();
        }

        return rows;
    }
}
