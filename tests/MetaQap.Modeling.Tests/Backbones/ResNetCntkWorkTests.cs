using MetaQap.Modeling.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Backbones;

public sealed class ResNetCntkWorkTests
{
    [Fact]
    public void At_224_px_the_count_is_torchvision_resnet18s_convolutions_plus_the_extra_last_stage_block()
    {
        // torchvision's resnet18: 1,813,561,344 convolution MACs at 224² (its published 1.81 GMAC, less the 0.5 M of
        // the classifier). The extra BasicBlock of the last stage: two 3×3 512→512 convs on 7×7 = 2 × 115,605,504.
        Assert.Equal(1_813_561_344L + 2 * 115_605_504L, ResNetCntk.MultiplyAccumulates(224, 224));
    }

    [Theory]
    [InlineData(96, 64)]
    [InlineData(100, 70)] // cropped to 96×64, as the network crops
    [InlineData(160, 224)]
    public void The_count_equals_every_conv_weight_times_the_positions_of_its_output_in_a_real_forward(int height, int width)
    {
        torch.manual_seed(3);
        using var net = ResNetCntk.resnet18_cntk_blocks();
        net.eval();
        using var noGrad = no_grad();
        using var input = randn(1, 3, height, width);
        Tensor[] maps = net.ForwardBlocks(input);
        long[] positions = [.. maps.Select(m => m.shape[2] * m.shape[3])];
        // Map index of each block's output: the stem's is 0, then layer1.0 = 1 … layer4.2 = 9.
        int[] firstMap = [1, 3, 5, 7];

        long expected = 0;
        foreach ((string name, var parameter) in net.named_parameters())
        {
            if (parameter.dim() != 4)
            {
                continue;
            }

            string[] parts = name.Split('.');
            long at = parts[0] == "conv1"
                ? 4 * positions[0] // the stem conv's output is twice the max-pool's sides
                : positions[firstMap[parts[0][^1] - '1'] + int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)];
            expected += parameter.numel() * at;
        }

        foreach (Tensor map in maps)
        {
            map.Dispose();
        }

        Assert.Equal(expected, ResNetCntk.MultiplyAccumulates(height, width));
    }

    [Fact]
    public void Sides_under_32_are_refused_as_the_network_refuses_them()
    {
        Assert.Throws<ArgumentException>(() => ResNetCntk.MultiplyAccumulates(31, 224));
    }

    [Fact]
    public void The_matrix_product_ceiling_is_a_positive_rate()
    {
        double gflops = BackboneThroughput.MatmulGflops(128, TimeSpan.FromMilliseconds(50), windows: 2);

        Assert.InRange(gflops, 0.01, 1e5);
    }
}
