using MetaQap.Modeling.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Training;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter; the update of PyTorch's <c>torch.optim.AdamW</c> with amsgrad off), kept here so its
/// state is plain named tensors: a checkpoint stores them in safetensors next to the weights and a resume restores
/// them exactly. The learning rate is set before each step by the caller's schedule.
/// </summary>
public sealed class AdamWOptimizer : IDisposable
{
    private const string FirstMomentPrefix = "exp_avg.";
    private const string SecondMomentPrefix = "exp_avg_sq.";

    private readonly (string Name, Parameter Parameter)[] _parameters;
    private readonly Dictionary<string, (Tensor ExpAvg, Tensor ExpAvgSq)> _state = new(StringComparer.Ordinal);
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _epsilon;
    private readonly double _weightDecay;

    public AdamWOptimizer(IEnumerable<(string Name, Parameter Parameter)> parameters, double beta1, double beta2, double epsilon, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters.Where(p => p.Parameter.requires_grad)];
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
        _weightDecay = weightDecay;
    }

    /// <summary>Steps taken so far (the bias-correction exponent).</summary>
    public long StepCount { get; private set; }

    public double LearningRate { get; set; }

    public IEnumerable<Parameter> Parameters => _parameters.Select(p => p.Parameter);

    public void ZeroGrad()
    {
        foreach (var (_, parameter) in _parameters)
        {
            using Tensor? grad = parameter.grad;
            grad?.zero_();
        }
    }

    public void Step()
    {
        StepCount++;
        // Explicit Scalars, alive until the step is done (see TensorScalars on implicit ones).
        using Scalar decay = (1 - (LearningRate * _weightDecay)).ToScalar();
        using Scalar beta1 = _beta1.ToScalar(), oneMinusBeta1 = (1 - _beta1).ToScalar();
        using Scalar beta2 = _beta2.ToScalar(), oneMinusBeta2 = (1 - _beta2).ToScalar();
        using Scalar sqrtCorrection2 = Math.Sqrt(1 - Math.Pow(_beta2, StepCount)).ToScalar();
        using Scalar stepSize = (-LearningRate / (1 - Math.Pow(_beta1, StepCount))).ToScalar();
        using var noGrad = no_grad();
        foreach (var (name, parameter) in _parameters)
        {
            using Tensor? grad = parameter.grad;
            if (grad is null)
            {
                continue;
            }

            if (!_state.TryGetValue(name, out var moments))
            {
                // The moments outlive the caller's per-step dispose scope.
                moments = (zeros_like(parameter).DetachFromDisposeScope(), zeros_like(parameter).DetachFromDisposeScope());
                _state[name] = moments;
            }

            using var scope = NewDisposeScope();
            parameter.mul_(decay);
            moments.ExpAvg.mul_(beta1).add_(grad, alpha: oneMinusBeta1);
            moments.ExpAvgSq.mul_(beta2).addcmul_(grad, grad, value: oneMinusBeta2);
            Tensor denominator = moments.ExpAvgSq.sqrt().div_(sqrtCorrection2).PlusInPlace(_epsilon);
            parameter.addcdiv_(moments.ExpAvg, denominator, value: stepSize);
        }
    }

    /// <summary>The moments as named tensors (views of the live state: save them before the next step).</summary>
    public Dictionary<string, Tensor> StateTensors()
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, (expAvg, expAvgSq)) in _state)
        {
            result[FirstMomentPrefix + name] = expAvg;
            result[SecondMomentPrefix + name] = expAvgSq;
        }

        return result;
    }

    /// <summary>Restores moments saved by <see cref="StateTensors"/> and the step count; unknown or missing names fail.</summary>
    public void LoadState(IReadOnlyDictionary<string, Tensor> tensors, long stepCount)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        var names = _parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (string key in tensors.Keys)
        {
            string name = key.StartsWith(FirstMomentPrefix, StringComparison.Ordinal) ? key[FirstMomentPrefix.Length..]
                : key.StartsWith(SecondMomentPrefix, StringComparison.Ordinal) ? key[SecondMomentPrefix.Length..]
                : throw new InvalidDataException($"Unexpected optimizer state tensor '{key}'.");
            if (!names.Contains(name))
            {
                throw new InvalidDataException($"Optimizer state for unknown parameter '{name}'.");
            }
        }

        DisposeState();
        foreach (var (name, parameter) in _parameters)
        {
            bool hasFirst = tensors.TryGetValue(FirstMomentPrefix + name, out Tensor? first);
            bool hasSecond = tensors.TryGetValue(SecondMomentPrefix + name, out Tensor? second);
            if (hasFirst != hasSecond)
            {
                throw new InvalidDataException($"Optimizer state for '{name}' has only one of its two moments.");
            }

            if (hasFirst)
            {
                _state[name] = (Copy(first!, parameter), Copy(second!, parameter));
            }
        }

        StepCount = stepCount;
    }

    public void Dispose() => DisposeState();

    private static Tensor Copy(Tensor source, Tensor like)
    {
        using var scope = NewDisposeScope();
        return source.to(like.dtype, like.device).clone().MoveToOuterDisposeScope();
    }

    private void DisposeState()
    {
        foreach (var (expAvg, expAvgSq) in _state.Values)
        {
            expAvg.Dispose();
            expAvgSq.Dispose();
        }

        _state.Clear();
    }
}
