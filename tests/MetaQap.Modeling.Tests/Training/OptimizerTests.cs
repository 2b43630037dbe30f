using MetaQap.Modeling.Runtime;
using MetaQap.Modeling.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Training;

public sealed class OptimizerTests
{
    [Fact]
    public void AdamW_follows_torch_optim_AdamW_step_for_step()
    {
        torch.manual_seed(1);
        using var ours = nn.Linear(5, 3);
        using var theirs = nn.Linear(5, 3);
        theirs.load_state_dict(ours.state_dict());
        using var optimizer = new AdamWOptimizer(ours.named_parameters(), 0.9, 0.999, 1e-8, 0.05) { LearningRate = 0.01 };
        // The reference is TorchSharp's own AdamW, banned elsewhere for its unrooted Scalars (TensorScalars).
#pragma warning disable RS0030
        using var reference = torch.optim.AdamW(theirs.parameters(), lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.05);

        for (int step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            Tensor input = randn(4, 5);
            optimizer.ZeroGrad();
            reference.zero_grad();
            ours.forward(input).Squared().sum().backward();
            theirs.forward(input).Squared().sum().backward();
            optimizer.Step();
            reference.step();
#pragma warning restore RS0030
        }

        foreach (var (name, parameter) in ours.named_parameters())
        {
            Assert.True(parameter.allclose(theirs.get_parameter(name)!, rtol: 1e-5, atol: 1e-7), name);
        }
    }

    [Fact]
    public void AdamW_state_round_trips_through_named_tensors()
    {
        torch.manual_seed(2);
        using var model = nn.Linear(3, 2);
        using var optimizer = new AdamWOptimizer(model.named_parameters(), 0.9, 0.999, 1e-8, 0) { LearningRate = 0.1 };
        model.forward(ones(1, 3)).sum().backward();
        optimizer.Step();

        using var restored = new AdamWOptimizer(model.named_parameters(), 0.9, 0.999, 1e-8, 0);
        restored.LoadState(optimizer.StateTensors(), optimizer.StepCount);

        Assert.Equal(1, restored.StepCount);
        Assert.Equal(optimizer.StateTensors().Keys.Order(), restored.StateTensors().Keys.Order());
        Assert.True(optimizer.StateTensors()["exp_avg.weight"].allclose(restored.StateTensors()["exp_avg.weight"], rtol: 0, atol: 0));
        Assert.Throws<InvalidDataException>(() => restored.LoadState(new Dictionary<string, Tensor> { ["exp_avg.nope"] = zeros(1) }, 1));
    }

    [Fact]
    public void Schedule_warms_up_linearly_then_decays_by_cosine_to_the_floor()
    {
        var schedule = new LearningRateSchedule(1.0, TotalSteps: 110, WarmupSteps: 10, MinFactor: 0.01);

        Assert.Equal(0.1, schedule.At(0), 12);
        Assert.Equal(1.0, schedule.At(9), 12);
        Assert.Equal(1.0, schedule.At(10), 12);
        Assert.Equal(0.01 + (0.99 * 0.5), schedule.At(10 + 50), 2);
        Assert.Equal(0.01, schedule.At(109), 12);
        Assert.True(schedule.At(40) > schedule.At(41));
    }

    [Fact]
    public void Invalid_options_are_refused_before_a_run()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { BatchSize = 1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { LearningRate = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { GradientClipNorm = double.NaN }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new PretrainingOptions { ValidationFraction = 0 }.Validate());
        new TrainingOptions().Validate();
    }
}
