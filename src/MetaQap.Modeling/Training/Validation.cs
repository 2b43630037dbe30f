using MetaQap.Modeling.Evaluation;
using MetaQap.Modeling.Quality;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Training;

/// <summary>Validation metrics of one epoch: the quality head's PLCC and SROCC and, with classes, type accuracy.</summary>
public sealed record ValidationResult(int Count, double Plcc, double Srocc, double? Accuracy, double[] Predicted, double[] Target);

/// <summary>Scores validation batches in eval mode without gradients (dropout off, BatchNorm running statistics).</summary>
internal static class Validation
{
    public static ValidationResult Run(QualityModel model, IEnumerable<PreparedBatch> batches, CancellationToken cancellationToken)
    {
        model.eval();
        using var noGrad = no_grad();
        var predicted = new List<double>();
        var target = new List<double>();
        int correct = 0, classified = 0;
        foreach (PreparedBatch batch in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            QualityOutput output = model.forward(batch.ImagesTensor());
            float[] quality = output.Quality.data<float>().ToArray();
            for (int i = 0; i < batch.Count; i++)
            {
                predicted.Add(quality[i]);
                target.Add(batch.Quality[i]);
            }

            if (batch.DistortionClasses is { } classes)
            {
                long[] argmax = output.DistortionLogits.argmax(1).data<long>().ToArray();
                for (int i = 0; i < batch.Count; i++)
                {
                    correct += argmax[i] == classes[i] ? 1 : 0;
                    classified++;
                }
            }
        }

        if (predicted.Count < 3)
        {
            throw new InvalidOperationException($"Validation needs at least 3 images; it had {predicted.Count}.");
        }

        double[] p = [.. predicted], t = [.. target];
        return new ValidationResult(p.Length, Correlation.Plcc(p, t), Correlation.Srocc(p, t),
            classified > 0 ? (double)correct / classified : null, p, t);
    }
}
