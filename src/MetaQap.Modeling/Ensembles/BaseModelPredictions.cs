using MetaQap.Imaging.Datasets;
using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Preprocessing;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Weights;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Ensembles;

/// <summary>
/// Scores a dataset with one in-memory base model exactly as <see cref="EnsemblePredictor"/> would (same
/// preprocessing, output scale to 0–100): the recipe calls it on each fold's held-out images with the model trained
/// on the other folds to build <see cref="OutOfFoldPredictions"/>.
/// </summary>
public static class BaseModelPredictions
{
    /// <summary>
    /// The model's 0–100 score for every item, in order. The model is switched to eval mode (callers that keep
    /// training it switch it back). Images that cannot be decoded throw <see cref="ImageDecodeException"/> with
    /// the path in the message, because a training set with a bad file should be fixed, not silently thinned.
    /// </summary>
    public static double[] Predict(
        QualityModel model,
        IReadOnlyList<DatasetItem> items,
        int inputSize,
        ChannelNormalization normalization,
        OutputScale outputScale,
        int batchSize = 16,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default,
        int? viewSide = BaseModelSource.DefaultViewSide)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(normalization);
        ArgumentNullException.ThrowIfNull(outputScale);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        Device device = model.parameters().First().device;
        var runner = new BaseModelRunner(model.Architecture, model, inputSize, viewSide, normalization, outputScale, device);
        var scores = new double[items.Count];
        for (int start = 0; start < items.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(batchSize, items.Count - start);
            var crops = new RgbImage[count];
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                crops[i] = ScoringPreprocessor.Crop(Decode(items[start + i]), inputSize, viewSide));
            using (NewDisposeScope())
            {
                runner.Run(crops, null).CopyTo(scores, start);
            }

            progress?.Report(start + count);
        }

        return scores;
    }

    /// <summary>
    /// <see cref="Predict"/> for a base model saved as a weights file (strict-loaded into <paramref name="architecture"/>),
    /// with the input normalisation the trainer uses for the architecture.
    /// </summary>
    public static double[] PredictWeightsFile(
        string architecture,
        string weightsFile,
        IReadOnlyList<DatasetItem> items,
        int inputSize,
        OutputScale outputScale,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default,
        int? viewSide = BaseModelSource.DefaultViewSide)
    {
        using var network = new QualityModel(architecture);
        network.LoadSafeTensorsStrict(weightsFile);

        return Predict(network, items, inputSize, Features.ImageNetNormalization.For(architecture), outputScale, progress: progress,
            cancellationToken: cancellationToken, viewSide: viewSide);
    }

    /// <summary>Out-of-fold table rows for one fold's held-out items, MOS converted to the 0–100 scale.</summary>
    public static double[] MosOnScoreScale(IReadOnlyList<DatasetItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return [.. items.Select(item => item.Mos * 100)];
    }

    private static RgbImage Decode(DatasetItem item)
    {
        try
        {
            return ImageDecoder.DecodeFile(item.ImagePath);
        }
        catch (ImageDecodeException e)
        {
            throw new ImageDecodeException(e.Code, $"{item.ImagePath}: {e.Message}", e);
        }
    }
}
