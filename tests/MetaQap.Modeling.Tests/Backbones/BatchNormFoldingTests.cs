using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Tests.Backbones;

public sealed class BatchNormFoldingTests
{
    public static TheoryData<string> Architectures => [.. BackboneFactory.Architectures];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void A_folded_model_computes_what_the_unfolded_one_does(string architecture)
    {
        torch.manual_seed(3);
        using var model = new QualityModel(architecture);
        GiveBatchNormsTrainedLookingStatistics(model);
        model.eval();
        int size = model.InputSize == 299 ? 96 : 64;
        using var images = randn(2, 3, size, size);
        (float[] quality, float[] logits) = Run(model, images);

        model.PrepareForInference();
        (float[] foldedQuality, float[] foldedLogits) = Run(model, images);

        Assert.True(model.IsPreparedForInference);
        // Float32 rounding only: the outputs are O(1), the tolerance is a few hundred ulps of them.
        AssertClose(quality, foldedQuality);
        AssertClose(logits, foldedLogits);
    }

    [Theory]
    [InlineData("resnet10_w32", 12)]
    [InlineData("resnet50", 53)]
    [InlineData("mobilenet_v3_small", 34)]
    [InlineData("efficientnet_b0", 49)]
    [InlineData("resnet18_cntk", 22)]
    public void Every_BatchNorm_after_a_conv_is_folded_and_then_skipped(string architecture, int batchNorms)
    {
        using var model = new QualityModel(architecture);
        model.eval();
        Assert.Equal(batchNorms, model.modules().OfType<RootedBatchNorm2d>().Count());
        Assert.Equal(batchNorms, model.modules().OfType<NormBase>().Count()); // and no TorchSharp BatchNorm2d
        int convsWithoutBias = CountConvsWithBias(model, withBias: false);
        model.PrepareForInference();

        // Each folded conv gains the BatchNorm's shift as its bias; the BatchNorms themselves no longer run, so
        // poisoning their statistics must not change the output.
        Assert.Equal(batchNorms, convsWithoutBias - CountConvsWithBias(model, withBias: false));
        using var images = randn(1, 3, 64, 64);
        (float[] before, _) = Run(model, images);
        foreach (RootedBatchNorm2d norm in model.modules().OfType<RootedBatchNorm2d>())
        {
            using var noGrad = no_grad();
            norm.running_mean!.FillInPlace(float.NaN);
        }

        (float[] after, _) = Run(model, images);
        Assert.Equal(before, after);
    }

    [Fact]
    public void Folding_twice_changes_nothing()
    {
        torch.manual_seed(5);
        using var model = new QualityModel("mobilenet_v3_small");
        GiveBatchNormsTrainedLookingStatistics(model);
        model.eval();
        using var images = randn(2, 3, 64, 64);
        model.PrepareForInference();
        (float[] once, _) = Run(model, images);
        model.PrepareForInference();
        (float[] twice, _) = Run(model, images);
        Assert.Equal(once, twice);
    }

    [Fact]
    public void Folding_is_refused_in_training_mode_and_training_is_refused_after_it()
    {
        using var model = new QualityModel("resnet10_w32");
        model.train();
        Assert.Throws<InvalidOperationException>(model.PrepareForInference);
        Assert.False(model.IsPreparedForInference);

        model.eval();
        model.PrepareForInference();
        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => model.train());
        Assert.Contains("folded", refused.Message, StringComparison.Ordinal);
        model.eval();
    }

    /// <summary>Fresh BatchNorms are the identity (mean 0, var 1, γ 1, β 0), which would make folding trivially right.</summary>
    private static void GiveBatchNormsTrainedLookingStatistics(Module model)
    {
        using var noGrad = no_grad();
        foreach (RootedBatchNorm2d norm in model.modules().OfType<RootedBatchNorm2d>())
        {
            norm.running_mean!.copy_(randn_like(norm.running_mean) * 0.5);
            norm.running_var!.copy_((rand_like(norm.running_var) * 2).Plus(0.05));
            norm.weight!.copy_((randn_like(norm.weight) * 0.5).Plus(1));
            norm.bias!.copy_(randn_like(norm.bias) * 0.2);
        }
    }

    private static int CountConvsWithBias(Module model, bool withBias) =>
        model.modules().OfType<Conv2d>().Count(c => (c.bias is not null) == withBias);

    private static (float[] Quality, float[] Logits) Run(QualityModel model, Tensor images)
    {
        using var noGrad = no_grad();
        QualityOutput output = model.forward(images);
        using Tensor quality = output.Quality;
        using Tensor logits = output.DistortionLogits;
        return (quality.data<float>().ToArray(), logits.data<float>().ToArray());
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1, expected.Max(Math.Abs));
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-4 * scale, $"max abs diff {worst:G3} for outputs up to {scale:G3}");
    }
}
