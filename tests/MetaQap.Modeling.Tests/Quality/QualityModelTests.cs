using MetaQap.Modeling.Quality;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Quality;

public sealed class QualityModelTests
{
    [Fact]
    public void Heads_sit_on_the_backbone_features_with_torchvision_keys_under_backbone()
    {
        using var model = new QualityModel("resnet10_w32");
        model.eval();
        using var input = randn(2, 3, 64, 64);

        QualityOutput output = model.forward(input);

        Assert.Equal(new long[] { 2 }, output.Quality.shape);
        Assert.Equal(new long[] { 2, QualityModel.DistortionClasses }, output.DistortionLogits.shape);
        string[] keys = [.. model.state_dict().Keys];
        Assert.Contains("backbone.conv1.weight", keys);
        Assert.Contains("backbone.layer1.0.bn1.running_mean", keys);
        Assert.Contains("quality_head.weight", keys);
        Assert.Contains("distortion_head.bias", keys);
        Assert.Equal(224, model.InputSize);
        output.Quality.Dispose();
        output.DistortionLogits.Dispose();
    }

    [Fact]
    public void Unknown_architecture_is_refused_with_the_known_list()
    {
        var error = Assert.Throws<ArgumentException>(() => new QualityModel("vgg11"));
        Assert.Contains("resnet18", error.Message, StringComparison.Ordinal);
    }
}
