using MetaQap.Modeling.Evaluation;
using MetaQap.Modeling.Features;
using MetaQap.Modeling.Loss;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Tests.Training;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.ImageNet;

/// <summary>Seeded training draws from libtorch's global generator, so these run outside the parallel test classes.</summary>
[Collection(TrainingCollection.Name)]
public sealed class MlpHeadTests
{
    private static (float[][] X, double[] Y) Problem(int rows, int seed)
    {
        var random = new Random(seed);
        // A non-linear target of features on very different scales (the head standardises them).
        float[][] x = [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, 6).Select(j => (float)((random.NextDouble() * 10 * (j + 1)) + (100 * j))).ToArray())];
        double[] y = [.. x.Select(r => 0.5 + (0.4 * Math.Tanh(((r[0] - 5) / 3) * ((r[1] - 110) / 10))))];
        return (x, y);
    }

    [Fact]
    public void A_head_trained_with_the_quality_aware_loss_ranks_held_out_rows_of_a_nonlinear_target()
    {
        (float[][] x, double[] y) = Problem(400, 1);
        (float[][] xt, double[] yt) = Problem(200, 2);
        using MlpHead head = MlpHead.Train(x, y, new MlpHeadOptions { Hidden = 32, Epochs = 60, BatchSize = 32, HiddenDropout = 0, InputDropout = 0, LearningRate = 3e-3, Seed = 3 });

        double srocc = Correlation.Srocc(head.Predict(xt), yt);

        Assert.True(srocc > 0.9, $"held-out SROCC {srocc:F3}");
    }

    [Fact]
    public void Training_is_reproducible_for_a_seed()
    {
        (float[][] x, double[] y) = Problem(100, 4);
        var options = new MlpHeadOptions { Hidden = 16, Epochs = 3, BatchSize = 16, Seed = 7, Loss = new QualityAwareLossOptions() };
        using MlpHead a = MlpHead.Train(x, y, options);
        using MlpHead b = MlpHead.Train(x, y, options);

        Assert.Equal(a.Predict(x), b.Predict(x));
    }

    [Fact]
    public void A_quality_model_holding_the_head_scores_raw_features_exactly_as_the_head_does()
    {
        (float[][] x, double[] y) = Problem(64, 5);
        // resnet18_cntk's pooled variant has 512 features: pad the 6 with zeros (constant columns) to that width.
        float[][] wide = [.. x.Select(r => r.Concat(new float[506]).ToArray())];
        using MlpHead wideHead = MlpHead.Train(wide, y, new MlpHeadOptions { Hidden = 8, Epochs = 2, BatchSize = 16, Seed = 1 });
        using var model = new QualityModel("resnet18_cntk", qualityHidden: 8);
        wideHead.CopyInto(model);
        model.eval();

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        float[] flat = [.. wide.SelectMany(r => r)];
        QualityOutput output = model.Heads(tensor(flat, [wide.Length, 512]));
        double[] fromModel = [.. output.Quality.to(float64).data<double>()];

        double[] fromHead = wideHead.Predict(wide);
        for (int i = 0; i < wide.Length; i++)
        {
            Assert.Equal(fromHead[i], fromModel[i], 5);
        }

        Assert.All(output.DistortionLogits.data<float>().ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(["quality_head.0.bias", "quality_head.0.weight", "quality_head.3.bias", "quality_head.3.weight"],
            model.state_dict().Keys.Where(k => k.StartsWith("quality_head", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }
}
