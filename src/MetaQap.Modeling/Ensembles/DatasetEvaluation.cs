using MetaQap.Imaging.Datasets;
using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Evaluation;
using MetaQap.Modeling.Scoring;

namespace MetaQap.Modeling.Ensembles;

/// <summary>Scores every image of a dataset with a scorer, in batches, and computes the evaluation metrics.</summary>
public static class DatasetEvaluation
{
    /// <param name="decodeOptions">
    /// How images are decoded. Null: as the worker and <c>score</c> decode them for this scorer, scaled down in the codec
    /// to its <see cref="IQualityScorer.DecodeShorterSide"/>, so that the figures are those of the service (a 512-px
    /// JPEG decoded by libjpeg's 6/8 IDCT for a 384-px view moves scores by up to 2 points against a full decode
    /// scaled by our filter).
    /// </param>
    /// <param name="progress">Receives the number of items processed (scored or failed) after each batch.</param>
    public static DatasetEvaluationResult Run(
        IQualityScorer scorer,
        IReadOnlyList<DatasetItem> items,
        int batchSize = 8,
        DecodeOptions? decodeOptions = null,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        decodeOptions ??= new DecodeOptions { MinShorterSide = scorer.DecodeShorterSide };
        var ids = new List<string>();
        var predicted = new List<double>();
        var mos = new List<double>();
        var failures = new List<EvaluationFailure>();
        var baseScores = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var baseOrder = new List<string>();
        for (int start = 0; start < items.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(batchSize, items.Count - start);
            var decoded = new RgbImage?[count];
            var errors = new ImageDecodeException?[count];
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                try
                {
                    decoded[i] = ImageDecoder.DecodeFile(items[start + i].ImagePath, decodeOptions);
                }
                catch (ImageDecodeException e)
                {
                    errors[i] = e;
                }
            });

            var batch = new List<RgbImage>(count);
            var batchItems = new List<DatasetItem>(count);
            for (int i = 0; i < count; i++)
            {
                if (decoded[i] is { } image)
                {
                    batch.Add(image);
                    batchItems.Add(items[start + i]);
                }
                else
                {
                    failures.Add(new EvaluationFailure(items[start + i].ImageId, errors[i]!.Code, errors[i]!.Message));
                }
            }

            IReadOnlyList<ImageScore> scores = scorer.Score(batch, cancellationToken);
            for (int i = 0; i < batchItems.Count; i++)
            {
                ids.Add(batchItems[i].ImageId);
                predicted.Add(scores[i].Score);
                foreach ((string name, double score) in scores[i].BaseScores)
                {
                    if (!baseScores.TryGetValue(name, out List<double>? list))
                    {
                        baseScores[name] = list = [];
                        baseOrder.Add(name);
                    }

                    list.Add(score);
                }

                mos.Add(batchItems[i].Mos * 100);
            }

            progress?.Report(start + count);
        }

        if (ids.Count < 2)
        {
            throw new InvalidOperationException(
                $"Only {ids.Count} of {items.Count} images could be scored; at least 2 are needed for correlations.");
        }

        // An ensemble's base models score every image it scores; a scorer that names base scores for only some
        // images gets no per-model metrics for those (their lists would not line up with mos).
        return new DatasetEvaluationResult(ids, predicted, mos, failures, EvaluationMetrics.Compute(predicted, mos),
            [.. baseOrder.Where(name => baseScores[name].Count == mos.Count).Select(name => KeyValuePair.Create(name, EvaluationMetrics.Compute(baseScores[name], mos)))]);
    }
}
