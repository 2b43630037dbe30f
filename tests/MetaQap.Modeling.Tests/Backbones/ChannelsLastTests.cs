using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Backbones;

public sealed class ChannelsLastTests
{
    [Fact]
    public void Every_conv_weight_is_restored_channels_last_with_the_same_values_once()
    {
        torch.manual_seed(11);
        using var model = new QualityModel("mobilenet_v3_small"); // depthwise, 1×1 and strided convs
        model.eval();
        Conv2d[] convs = [.. model.modules().OfType<Conv2d>()];
        float[][] before = [.. convs.Select(c => c.weight!.data<float>().ToArray())];

        // Depthwise (one input channel) and 1×1 weights are the same memory in both layouts: nothing to convert.
        int sameEitherWay = convs.Count(c => c.weight!.shape[1] == 1 || c.weight.shape[2] * c.weight.shape[3] == 1);
        Assert.Equal(sameEitherWay, convs.Count(c => ChannelsLast.IsChannelsLast(c.weight!)));
        Assert.InRange(sameEitherWay, 1, convs.Length - 1);

        Assert.Equal(convs.Length - sameEitherWay, ChannelsLast.ConvertConvWeights(model));

        for (int i = 0; i < convs.Length; i++)
        {
            Tensor weight = convs[i].weight!;
            Assert.True(ChannelsLast.IsChannelsLast(weight), $"conv {i} {string.Join('×', weight.shape)}");
            Assert.Equal(before[i], weight.data<float>().ToArray());
            Assert.True(weight.requires_grad);
        }

        Assert.Equal(0, ChannelsLast.ConvertConvWeights(model));
    }

    [Fact]
    public void The_trunk_maps_stay_channels_last_through_the_network_and_equal_the_default_layout()
    {
        // The speed-up comes from libtorch keeping every map channels-last once the weights are: check it does.
        torch.manual_seed(12);
        using ResNetCntk plain = ResNetCntk.resnet18_cntk_blocks();
        using ResNetCntk converted = ResNetCntk.resnet18_cntk_blocks();
        converted.load_state_dict(plain.state_dict());
        plain.eval();
        converted.eval();
        BatchNormFolding.FoldAll(plain);
        BatchNormFolding.FoldAll(converted);
        ChannelsLast.ConvertConvWeights(converted);
        using var images = randn(2, 3, 96, 64) * 50;
        using var noGrad = no_grad();

        Tensor[] expected = plain.ForwardBlocks(images);
        Tensor[] actual = converted.ForwardBlocks(images);
        try
        {
            Assert.All(expected, map => Assert.False(ChannelsLast.IsChannelsLast(map)));
            for (int i = 0; i < actual.Length; i++)
            {
                Assert.True(ChannelsLast.IsChannelsLast(actual[i]), $"map {i}");
                double scale = expected[i].abs().max().item<float>();
                Assert.True((actual[i] - expected[i]).abs().max().item<float>() <= 1e-5 * scale, $"map {i}");
            }

            using Tensor features = converted.ForwardFeatures(images);
            using Tensor reference = plain.ForwardFeatures(images);
            Assert.True(features.is_contiguous());
            // The features are square roots of the statistics (+1e-6), which magnify rounding near zero up to 500×:
            // compare the statistics themselves. Each is a mean or std of a map whose values are within 1e-5 of that
            // map's largest, which is several times the largest statistic: hence 1e-4 of it.
            using Tensor statistics = features * features;
            using Tensor expectedStatistics = reference * reference;
            double statisticsDiff = (statistics - expectedStatistics).abs().max().item<float>();
            double largest = expectedStatistics.abs().max().item<float>();
            Assert.True(statisticsDiff <= 1e-4 * largest, $"statistics differ by {statisticsDiff}, largest {largest}");
        }
        finally
        {
            foreach (Tensor map in expected.Concat(actual))
            {
                map.Dispose();
            }
        }
    }

    [Fact]
    public void Only_the_strides_of_a_contiguous_NHWC_array_count_as_channels_last()
    {
        using var nchw = zeros(2, 3, 4, 5);
        using var nhwc = nchw.permute(0, 2, 3, 1).contiguous();
        using var channelsLast = nhwc.permute(0, 3, 1, 2);
        using var flat = zeros(6, 20);
        using var sliced = channelsLast.narrow(2, 0, 2); // NHWC strides of a larger array: not contiguous

        Assert.False(ChannelsLast.IsChannelsLast(nchw));
        Assert.True(ChannelsLast.IsChannelsLast(channelsLast));
        Assert.False(ChannelsLast.IsChannelsLast(flat));
        Assert.False(ChannelsLast.IsChannelsLast(sliced));
    }

    [Fact]
    public void Safetensors_writes_a_channels_last_weight_in_the_standard_layout()
    {
        torch.manual_seed(13);
        using var weight = randn(4, 3, 3, 3);
        using var nhwc = weight.permute(0, 2, 3, 1).contiguous();
        using var channelsLast = nhwc.permute(0, 3, 1, 2);
        using var stream = new MemoryStream();

        SafeTensors.Save(stream, new Dictionary<string, Tensor> { ["w"] = channelsLast });
        stream.Position = 0;
        Dictionary<string, Tensor> loaded = SafeTensors.Load(stream);

        using Tensor back = loaded["w"];
        Assert.Equal(weight.data<float>().ToArray(), back.data<float>().ToArray());
    }
}
