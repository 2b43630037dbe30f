using MetaQap.Modeling.Loss;
using MetaQap.Modeling.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Loss;

/// <summary>A real optimisation: a linear model trained with the loss must learn to rank synthetic data.</summary>
public sealed class QualityAwareLossTrainingTests
{
    private const int Samples = 256;
    private const int Features = 5;
    private const int BatchSize = 32;
    private const int Steps = 300;
    private static readonly double[] TrueWeights = [1.0, -0.6, 0.4, 0.0, 0.8];

    [Theory]
    [InlineData(0.5, 0.5)] // the paper's loss
    [InlineData(0.0, 1.0)] // the rank term alone must be able to train
    public void Training_a_linear_model_raises_spearman_correlation(double mseWeight, double sroccWeight)
    {
        var (features, targets) = SyntheticData(seed: 3);
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(features, Samples, Features);
        var y = torch.tensor(targets);
        var model = torch.nn.Linear(Features, 1);
        using (torch.no_grad())
        {
            // Start from the wrong ranking (weights opposite to the truth) so success is not an accident of init.
            model.weight!.copy_(torch.tensor(TrueWeights.Select(w => (float)(-0.2 * w)).ToArray()).reshape(1, Features));
            model.bias!.zero_();
        }

        var before = Spearman(model, x, targets);
        var loss = new QualityAwareLoss(new QualityAwareLossOptions { MseWeight = mseWeight, SroccWeight = sroccWeight });
        using var optimizer = new AdamWOptimizer(model.named_parameters(), 0.9, 0.999, 1e-8, weightDecay: 0) { LearningRate = 0.02 };
        var random = new Random(17);
        for (var step = 0; step < Steps; step++)
        {
            using var stepScope = torch.NewDisposeScope();
            var batch = torch.tensor(Enumerable.Range(0, BatchSize).Select(_ => (long)random.Next(Samples)).ToArray());
            optimizer.ZeroGrad();
            loss.Compute(model.forward(x.index_select(0, batch)), y.index_select(0, batch)).backward();
            optimizer.Step();
        }

        var after = Spearman(model, x, targets);
        Assert.True(before < -0.8, $"Spearman before training {before:F3}");
        Assert.True(after > 0.9, $"Spearman after training {after:F3} (before {before:F3})");
    }

    /// <summary>Targets are a monotone but non-linear function of a linear score, plus noise, in (0, 1).</summary>
    private static (float[] Features, float[] Targets) SyntheticData(int seed)
    {
        var random = new Random(seed);
        var features = new float[Samples * Features];
        var targets = new float[Samples];
        for (var i = 0; i < Samples; i++)
        {
            double score = 0;
            for (var j = 0; j < Features; j++)
            {
                var value = Gaussian(random);
                features[i * Features + j] = (float)value;
                score += TrueWeights[j] * value;
            }

            targets[i] = (float)(1 / (1 + Math.Exp(-1.5 * score)) + 0.02 * Gaussian(random));
        }

        return (features, targets);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double Spearman(torch.nn.Module<Tensor, Tensor> model, Tensor x, float[] targets)
    {
        using var noGrad = torch.no_grad();
        using var predictions = model.forward(x);
        var predicted = predictions.data<float>().Select(v => (double)v).ToArray();
        return ReferenceRanks.Spearman(predicted, targets.Select(t => (double)t).ToArray());
    }
}
