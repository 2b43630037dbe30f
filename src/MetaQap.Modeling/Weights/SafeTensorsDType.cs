using static TorchSharp.torch;

namespace MetaQap.Modeling.Weights;

/// <summary>A safetensors dtype tag, its element size and the TorchSharp scalar type it maps to.</summary>
public sealed record SafeTensorsDType(string Name, ScalarType ScalarType, int ElementSize)
{
    private static readonly SafeTensorsDType[] Known =
    [
        new("F64", ScalarType.Float64, 8),
        new("F32", ScalarType.Float32, 4),
        new("F16", ScalarType.Float16, 2),
        new("BF16", ScalarType.BFloat16, 2),
        new("I64", ScalarType.Int64, 8),
        new("I32", ScalarType.Int32, 4),
        new("I16", ScalarType.Int16, 2),
        new("I8", ScalarType.Int8, 1),
        new("U8", ScalarType.Byte, 1),
        new("BOOL", ScalarType.Bool, 1),
    ];

    public static SafeTensorsDType FromName(string name) =>
        Array.Find(Known, d => d.Name == name)
        ?? throw new NotSupportedException($"safetensors dtype '{name}' is not supported.");

    public static SafeTensorsDType FromScalarType(ScalarType type) =>
        Array.Find(Known, d => d.ScalarType == type)
        ?? throw new NotSupportedException($"Tensors of type {type} cannot be stored as safetensors here.");
}
