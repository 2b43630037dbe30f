using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Runtime;
using MetaQap.Modeling.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Backbones;

public sealed class StateDictLoadingTests
{
    [Fact]
    public void Loading_another_models_state_dict_reproduces_its_outputs_and_buffers()
    {
        torch.manual_seed(10);
        using var source = BackboneFactory.Create("resnet10_w32", numClasses: 3);
        using (no_grad())
        {
            foreach (var (name, buffer) in source.named_buffers())
            {
                if (name.EndsWith("running_var", StringComparison.Ordinal))
                {
                    buffer.uniform_(0.5, 2.0);
                }
                else if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal))
                {
                    buffer.FillInPlace(17);
                }
            }
        }

        using var target = BackboneFactory.Create("resnet10_w32", numClasses: 3);

        target.LoadStateDictStrict(source.state_dict());

        source.eval();
        target.eval();
        using var noGrad = no_grad();
        using var images = randn(2, 3, 64, 64);
        Assert.True(source.forward(images).eq(target.forward(images)).all().item<bool>());
        Assert.Equal(17L, target.state_dict()["bn1.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void Missing_and_unexpected_keys_are_listed_and_nothing_is_copied()
    {
        torch.manual_seed(11);
        using var model = BackboneFactory.Create("resnet10_w32", numClasses: 3);
        using var before = model.state_dict()["conv1.weight"].clone();
        var weights = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone().FillInPlace(0.5));
        weights.Remove("fc.bias");
        weights.Remove("layer1.0.bn1.running_mean");
        weights["fc.extra"] = zeros(1);

        var error = Assert.Throws<StateDictMismatchException>(() => model.LoadStateDictStrict(weights));

        Assert.Equal(new[] { "fc.bias", "layer1.0.bn1.running_mean" }, error.MissingKeys);
        Assert.Equal(new[] { "fc.extra" }, error.UnexpectedKeys);
        Assert.Contains("fc.bias", error.Message, StringComparison.Ordinal);
        Assert.Contains("layer1.0.bn1.running_mean", error.Message, StringComparison.Ordinal);
        Assert.Contains("fc.extra", error.Message, StringComparison.Ordinal);
        Assert.True(before.eq(model.state_dict()["conv1.weight"]).all().item<bool>());
    }

    [Fact]
    public void Shape_mismatches_name_the_key_and_both_shapes()
    {
        using var thousand = BackboneFactory.Create("resnet10_w32");
        using var three = BackboneFactory.Create("resnet10_w32", numClasses: 3);

        var error = Assert.Throws<StateDictMismatchException>(() => three.LoadStateDictStrict(thousand.state_dict()));

        Assert.Empty(error.MissingKeys);
        Assert.Empty(error.UnexpectedKeys);
        Assert.Equal(new[] { "fc.bias: expected [3], got [1000]", "fc.weight: expected [3, 256], got [1000, 256]" }, error.ShapeMismatches);
        Assert.Contains("fc.weight: expected [3, 256], got [1000, 256]", error.Message, StringComparison.Ordinal);
    }
}
