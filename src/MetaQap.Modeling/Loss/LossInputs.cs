using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Loss;

/// <summary>Shape, dtype and argument checks shared by the loss functions, so every entry point fails the same way.</summary>
internal static class LossInputs
{
    public static void RequireTemperature(double temperature, string name)
    {
        if (!double.IsFinite(temperature) || temperature <= 0)
        {
            throw new ArgumentOutOfRangeException(name, temperature, "The temperature must be finite and > 0.");
        }
    }

    /// <summary>Requires a floating-point vector [N] with N >= 1.</summary>
    public static void RequireFloatVector(Tensor x, string name)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        if (!x.is_floating_point())
        {
            throw new ArgumentException($"{name} must be a floating-point tensor, got {x.dtype}.", name);
        }

        if (x.dim() != 1 || x.shape[0] < 1)
        {
            throw new ArgumentException($"{name} must have shape [N] with N >= 1, got [{string.Join(", ", x.shape)}].", name);
        }
    }

    /// <summary>
    /// Flattens <paramref name="predicted"/> and <paramref name="target"/> ([N] or [N,1]) to [N], with the target cast to
    /// the prediction's dtype and moved to its device. The returned tensors are new handles (owned by the caller's
    /// dispose scope); the inputs are left untouched.
    /// </summary>
    public static (Tensor Predicted, Tensor Target) FlattenPair(Tensor predicted, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(target);
        if (!predicted.is_floating_point())
        {
            throw new ArgumentException($"predicted must be a floating-point tensor, got {predicted.dtype}.", nameof(predicted));
        }

        var n = ColumnLength(predicted, nameof(predicted));
        var m = ColumnLength(target, nameof(target));
        if (n != m)
        {
            throw new ArgumentException($"predicted has {n} elements but target has {m}.", nameof(target));
        }

        // A correlation of one pair is undefined; refusing here beats a silent zero SROCC term.
        if (n < 2)
        {
            throw new ArgumentException($"At least 2 samples are needed for a rank correlation, got {n}.", nameof(predicted));
        }

        return (predicted.reshape(n), target.reshape(n).to(predicted.dtype, predicted.device));
    }

    private static long ColumnLength(Tensor x, string name)
    {
        var shape = x.shape;
        if (shape.Length == 1 || (shape.Length == 2 && shape[1] == 1))
        {
            return shape[0];
        }

        throw new ArgumentException($"{name} must have shape [N] or [N, 1], got [{string.Join(", ", shape)}].", name);
    }
}
