using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Backbones;

public sealed class BackboneForwardTests
{
    public static TheoryData<string> Architectures => [.. BackboneFactory.Architectures];

    public static TheoryData<string> TorchvisionArchitectures => [.. BackboneFactory.TorchvisionArchitectures];

    [Theory]
    [MemberData(nameof(TorchvisionArchitectures))]
    public void Logits_and_pooled_features_have_the_advertised_shapes(string architecture)
    {
        torch.manual_seed(1);
        using var model = BackboneFactory.Create(architecture, numClasses: 7);
        var backbone = (IBackbone)model;
        // Small spatial sizes keep CI fast; Inception's stem needs at least 75 pixels.
        int size = backbone.DefaultInputSize == 299 ? 96 : 64;
        model.eval();
        using var noGrad = no_grad();
        using var images = randn(2, 3, size, size);

        using var logits = model.forward(images);
        using var features = backbone.ForwardFeatures(images);

        Assert.Equal(new long[] { 2, 7 }, logits.shape);
        Assert.Equal(new long[] { 2, backbone.FeatureCount }, features.shape);
    }

    /// <summary>A fresh Inception-v3 once had NaN weights (TorchSharp's trunc_normal_ at bounds 20σ out).</summary>
    [Theory]
    [MemberData(nameof(Architectures))]
    public void A_freshly_initialised_network_has_finite_weights_and_outputs(string architecture)
    {
        torch.manual_seed(3);
        using var model = BackboneFactory.Create(architecture, numClasses: 7);
        int size = ((IBackbone)model).DefaultInputSize == 299 ? 96 : 64;
        model.eval();
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.False(parameter.isnan().any().item<bool>() || parameter.isinf().any().item<bool>(), $"{name} is not finite");
        }

        using var images = randn(2, 3, size, size);
        using var logits = model.forward(images);
        Assert.True(logits.isfinite().all().item<bool>());
    }

    [Fact]
    public void Truncated_normal_keeps_within_its_bounds_and_its_spread()
    {
        torch.manual_seed(4);
        using var wide = empty(100_000);
        WeightInit.TruncatedNormal(wide, 0.0, 0.1, -2.0, 2.0);
        Assert.True(wide.isfinite().all().item<bool>());
        Assert.InRange(wide.std().item<float>(), 0.098, 0.102);

        using var tight = empty(100_000);
        WeightInit.TruncatedNormal(tight, 1.0, 1.0, 0.5, 1.5);
        Assert.InRange(tight.min().item<float>(), 0.5, 1.5);
        Assert.InRange(tight.max().item<float>(), 0.5, 1.5);
        Assert.InRange(tight.mean().item<float>(), 0.99, 1.01);
    }

    [Theory]
    [InlineData("resnet18", 512, 224)]
    [InlineData("resnet50", 2048, 224)]
    [InlineData("resnet10_w32", 256, 224)]
    [InlineData("densenet121", 1024, 224)]
    [InlineData("densenet201", 1920, 224)]
    [InlineData("efficientnet_b0", 1280, 224)]
    [InlineData("mobilenet_v3_large", 960, 224)]
    [InlineData("mobilenet_v3_small", 576, 224)]
    [InlineData("inception_v3", 2048, 299)]
    public void Factory_reports_architecture_feature_count_and_input_size(string architecture, int featureCount, int inputSize)
    {
        using var model = BackboneFactory.Create(architecture);
        var backbone = (IBackbone)model;

        Assert.Equal(architecture, backbone.Architecture);
        Assert.Equal(featureCount, backbone.FeatureCount);
        Assert.Equal(inputSize, backbone.DefaultInputSize);
    }

    [Fact]
    public void Cpu_architectures_are_known_and_have_under_three_million_parameters()
    {
        Assert.Equal(2, BackboneFactory.CpuArchitectures.Count);
        foreach (var architecture in BackboneFactory.CpuArchitectures)
        {
            Assert.Contains(architecture, BackboneFactory.Architectures);
            using var model = BackboneFactory.Create(architecture);
            long parameters = model.parameters().Sum(p => p.numel());
            Assert.InRange(parameters, 1_000_000, 3_000_000);
        }
    }

    [Fact]
    public void Unknown_architecture_is_rejected_with_the_known_names()
    {
        var error = Assert.Throws<ArgumentException>(() => BackboneFactory.Create("resnet1000"));

        Assert.Contains("resnet1000", error.Message, StringComparison.Ordinal);
        Assert.All(BackboneFactory.Architectures, name => Assert.Contains(name, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Inception_returns_aux_logits_only_while_training()
    {
        torch.manual_seed(2);
        using var model = Inception3.inception_v3(numClasses: 5);
        using var images = randn(2, 3, 299, 299);

        model.train();
        var (trainLogits, trainAux) = model.ForwardWithAux(images);
        model.eval();
        using var noGrad = no_grad();
        var (evalLogits, evalAux) = model.ForwardWithAux(images);

        Assert.Equal(new long[] { 2, 5 }, trainLogits.shape);
        Assert.NotNull(trainAux);
        Assert.Equal(new long[] { 2, 5 }, trainAux.shape);
        Assert.Equal(new long[] { 2, 5 }, evalLogits.shape);
        Assert.Null(evalAux);
    }

    [Fact]
    public void Gradients_flow_from_pooled_features_back_to_the_stem()
    {
        torch.manual_seed(3);
        using var model = BackboneFactory.Create("resnet10_w32");
        model.train();
        using var images = randn(2, 3, 64, 64);

        using var loss = ((IBackbone)model).ForwardFeatures(images).Squared().mean();
        loss.backward();

        var stem = model.named_parameters().First(p => p.name == "conv1.weight").parameter;
        Assert.NotNull(stem.grad);
        Assert.True(stem.grad!.abs().sum().item<float>() > 0f);
    }

    [Fact]
    public void Stochastic_depth_is_the_identity_in_eval_and_drops_whole_samples_in_training()
    {
        using var layer = new StochasticDepth(0.5);
        using var input = ones(64, 3, 2, 2);

        layer.eval();
        using var evalOut = layer.forward(input);
        layer.train();
        torch.manual_seed(4);
        using var trainOut = layer.forward(input);

        Assert.True(evalOut.eq(input).all().item<bool>());
        // Each sample is either dropped (all 0) or kept and rescaled by 1/(1-p) = 2.
        using var perSample = trainOut.reshape(64, -1);
        using var minimum = perSample.amin(1);
        using var maximum = perSample.amax(1);
        Assert.True(minimum.eq(maximum).all().item<bool>());
        var values = maximum.data<float>().ToArray().Distinct().Order().ToArray();
        Assert.Equal(new[] { 0f, 2f }, values);
    }
}
