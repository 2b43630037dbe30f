using MetaQap.Imaging.Datasets;
using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Features;
using MetaQap.Modeling.Scoring;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Calibration;

/// <summary>
/// What a calibration fits on, one row per rated image: the frozen ImageNet trunk's features of the image's scoring
/// view and the source ensemble's base-model scores (0–100), next to the user's MOS ([0, 1]).
/// </summary>
public sealed record CalibrationRows(
    IReadOnlyList<string> ImageIds,
    double[] Mos,
    float[][] Features,
    IReadOnlyList<string> BaseModels,
    double[][] BaseScores)
{
    public int Count => ImageIds.Count;

    /// <summary>
    /// Whether the base scores were read from the features' own trunk pass, the source's base models being heads on
    /// that trunk (<see cref="EnsemblePredictor.HeadsOn"/>): they are then their scores at the calibration's view, and the
    /// calibrated ensemble runs them there, so that it scores as fitted in one trunk pass.
    /// </summary>
    public bool BaseScoresAtView { get; init; }

    /// <summary>
    /// Decodes each item once, as the scorer will (scaled down to the largest view side while decoding), and measures
    /// both. The first image that cannot be decoded stops the calibration: a rating set with a bad file is to be fixed,
    /// not silently thinned. When the source's base models are all heads on this very trunk (the shipped default is one),
    /// their scores come from the same trunk pass as the features, at the calibration's view
    /// (<see cref="BaseScoresAtView"/>); otherwise the source scores each image as it would.
    /// </summary>
    /// <param name="progress">Receives the number of items measured after each batch.</param>
    public static CalibrationRows Measure(EnsemblePredictor predictor, ResNetCntk trunk, IReadOnlyList<DatasetItem> items,
        CalibrationOptions options, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(trunk);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(options);
        var extractor = new TrunkFeatureExtractor(trunk);
        int[] columns = BlockFeatureLayout.Columns(options.Architecture);
        string[] names = [.. predictor.Manifest.BaseModels.Select(m => m.Name)];
        Func<IReadOnlyList<Tensor>, double[][]>? heads = predictor.HeadsOn(trunk, extractor.Normalization);
        // Decoded as the calibrated ensemble will decode them: at the calibration's view when the source's heads move
        // there, else also as the source needs.
        int decodeSide = heads is null ? Math.Max(predictor.DecodeShorterSide ?? 0, options.ViewSide) : options.ViewSide;
        var decode = new DecodeOptions { MinShorterSide = decodeSide };
        var features = new float[items.Count][];
        var scores = new double[items.Count][];
        for (int start = 0; start < items.Count; start += options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(options.BatchSize, items.Count - start);
            RgbImage[] images = Decode(items, start, count, decode, cancellationToken);
            RgbImage[] crops = [.. images.Select(image => ScoringPreprocessor.Crop(image, options.ViewSide, options.ViewSide))];
            double[][]? byModel = null;
            float[][] rows = BlockFeatureLayout.Select(extractor.Extract(crops, heads is null ? null : blocks => byModel = heads(blocks)), columns);
            IReadOnlyList<ImageScore>? scored = byModel is null ? predictor.Score(images, cancellationToken) : null;
            for (int i = 0; i < count; i++)
            {
                features[start + i] = rows[i];
                scores[start + i] = byModel is null
                    ? [.. names.Select(name => scored![i].BaseScores[name])]
                    : [.. byModel.Select(model => model[i])];
            }

            progress?.Report(start + count);
        }

        return new CalibrationRows([.. items.Select(i => i.ImageId)], [.. items.Select(i => i.Mos)], features, names, scores)
        {
            BaseScoresAtView = heads is not null,
        };
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public CalibrationRows Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return new CalibrationRows([.. indices.Select(i => ImageIds[i])], [.. indices.Select(i => Mos[i])],
            [.. indices.Select(i => Features[i])], BaseModels, [.. indices.Select(i => BaseScores[i])])
        {
            BaseScoresAtView = BaseScoresAtView,
        };
    }

    private static RgbImage[] Decode(IReadOnlyList<DatasetItem> items, int start, int count, DecodeOptions decode, CancellationToken cancellationToken)
    {
        try
        {
            return DatasetImages.Decode(items, start, count, decode, image => image, cancellationToken);
        }
        catch (ImageDecodeException e)
        {
            throw new CalibrationException(CalibrationErrorCode.UnreadableImage,
                $"A rated image cannot be decoded ({e.Code}): {e.Message} Remove its row or replace the file.", e);
        }
    }
}
