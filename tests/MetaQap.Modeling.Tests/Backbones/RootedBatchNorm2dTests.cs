using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Tests.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Backbones;

/// <summary>
/// <see cref="RootedBatchNorm2d"/> must be TorchSharp's BatchNorm2d to the bit, in training and in eval, with the
/// same state-dict keys, and its training step must survive collections during its native calls (TorchSharp's own
/// failed 71 of 200,000 steps under the same collector thread, session 13: "argument alpha must not be a floating
/// point number", its freed alpha read as garbage).
/// </summary>
public sealed class RootedBatchNorm2dTests
{
    [Fact]
    public void Training_and_eval_compute_what_TorchSharps_BatchNorm2d_computes()
    {
        torch.manual_seed(11);
        using var ours = new RootedBatchNorm2d(3, eps: 1e-3, momentum: 0.2);
        using var reference = TorchSharpBatchNorm(3, eps: 1e-3, momentum: 0.2);
        using var noGrad = no_grad();
        ours.weight.copy_(randn(3));
        reference.weight.copy_(ours.weight);

        for (int step = 0; step < 3; step++)
        {
            using var x = randn(4, 3, 5, 6);
            using Tensor expected = reference.forward(x);
            using Tensor actual = ours.forward(x);
            Assert.Equal(Values(expected), Values(actual));
        }

        Assert.Equal(Values(reference.running_mean!), Values(ours.running_mean!));
        Assert.Equal(Values(reference.running_var!), Values(ours.running_var!));
        Assert.Equal(3L, ours.num_batches_tracked!.item<long>());
        Assert.Equal(reference.num_batches_tracked!.item<long>(), ours.num_batches_tracked.item<long>());

        ours.eval();
        reference.eval();
        using var y = randn(2, 3, 5, 6);
        Assert.Equal(Values(reference.forward(y)), Values(ours.forward(y)));
        Assert.Equal(3L, ours.num_batches_tracked.item<long>()); // eval counts nothing
    }

    [Fact]
    public void The_gradients_are_TorchSharps()
    {
        torch.manual_seed(12);
        using var ours = new RootedBatchNorm2d(2);
        using var reference = TorchSharpBatchNorm(2, eps: 1e-5, momentum: 0.1);
        using var x = randn(3, 2, 4, 4);
        using var weights = randn(3, 2, 4, 4);
        (Tensor inputGrad, Tensor weightGrad) = Gradients(ours, x, weights);
        (Tensor expectedInputGrad, Tensor expectedWeightGrad) = Gradients(reference, x, weights);
        Assert.True(inputGrad.allclose(expectedInputGrad, rtol: 0, atol: 1e-7));
        Assert.True(weightGrad.allclose(expectedWeightGrad, rtol: 0, atol: 1e-7));
    }

    [Fact]
    public void Its_state_dict_has_TorchSharps_keys_and_shapes()
    {
        using var ours = new RootedBatchNorm2d(5);
        using var reference = TorchSharpBatchNorm(5, eps: 1e-5, momentum: 0.1);
        Assert.Equal(Shapes(reference), Shapes(ours));
        Assert.Equal(int64, ours.num_batches_tracked!.dtype);
    }

    [Fact]
    public void A_non_image_input_is_refused()
    {
        using var norm = new RootedBatchNorm2d(3);
        using var flat = randn(4, 3);
        ArgumentException refused = Assert.Throws<ArgumentException>(() => norm.forward(flat));
        Assert.Contains("4-D", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_steps_never_read_a_collected_scalar()
    {
        using var norm = new RootedBatchNorm2d(4);
        using var x = randn(2, 4, 3, 3);
        var errors = ForcedCollections.Run(40_000, () =>
        {
            using Tensor y = norm.forward(x);
        });
        Assert.Empty(errors);
        Assert.Equal(40_000L, norm.num_batches_tracked!.item<long>());
    }

    private static (Tensor Input, Tensor Weight) Gradients(BatchNorm norm, Tensor x, Tensor weights)
    {
        using Tensor input = x.detach().requires_grad_();
        using Tensor loss = norm.forward(input).mul(weights).sum();
        loss.backward();
        return (input.grad!.clone(), norm.weight.grad!.clone());
    }

    private static float[] Values(Tensor t) => t.data<float>().ToArray();

    private static List<string> Shapes(nn.Module module) =>
        [.. module.state_dict().Select(p => $"{p.Key}: {string.Join('x', p.Value.shape)} {p.Value.dtype}").Order(StringComparer.Ordinal)];

#pragma warning disable RS0030 // TorchSharp's BatchNorm2d is the reference the rooted one must equal
    private static BatchNorm TorchSharpBatchNorm(long features, double eps, double momentum) =>
        nn.BatchNorm2d(features, eps: eps, momentum: momentum);
#pragma warning restore RS0030
}
