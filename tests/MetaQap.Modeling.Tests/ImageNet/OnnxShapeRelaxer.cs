using System.Buffers.Binary;
using MetaQap.Modeling.ImageNet;

namespace MetaQap.Modeling.Tests.ImageNet;

/// <summary>
/// Rewrites an ONNX model so ONNX Runtime accepts inputs of any height and width: the CNTK export declares a fixed
/// [1, 3, 224, 224] input (ORT refuses other shapes) and a [1, 512, 1, 1] output. Graph inputs (field 11) and
/// outputs (12) lose their spatial dims' values (ValueInfoProto.type.tensor_type.shape.dim[2, 3] become symbolic).
/// Everything else is copied field by field.
/// </summary>
internal static class OnnxShapeRelaxer
{
    public static byte[] RelaxSpatialDims(ReadOnlyMemory<byte> model) =>
        Rewrite(model, 7, graph => Rewrite(graph, [11, 12], valueInfo =>
            Rewrite(valueInfo, 2, type => Rewrite(type, 1, tensorType => Rewrite(tensorType, 2, RelaxShape)))));

    private static byte[] RelaxShape(ReadOnlyMemory<byte> shape)
    {
        using var output = new MemoryStream();
        int index = 0;
        foreach (ProtoField f in new ProtoReader(shape))
        {
            if (f.Number == 1 && index++ >= 2)
            {
                // Dimension { dim_param (2) = "d2" / "d3" }
                byte[] name = System.Text.Encoding.ASCII.GetBytes($"d{index - 1}");
                byte[] dim = [.. Key(2, 2), .. Varint((ulong)name.Length), .. name];
                WriteBytes(output, 1, dim);
            }
            else
            {
                Write(output, f);
            }
        }

        return output.ToArray();
    }

    private static byte[] Rewrite(ReadOnlyMemory<byte> message, int field, Func<ReadOnlyMemory<byte>, byte[]> transform) =>
        Rewrite(message, [field], transform);

    private static byte[] Rewrite(ReadOnlyMemory<byte> message, int[] fields, Func<ReadOnlyMemory<byte>, byte[]> transform)
    {
        using var output = new MemoryStream();
        foreach (ProtoField f in new ProtoReader(message))
        {
            if (f.IsBytes && fields.Contains(f.Number))
            {
                WriteBytes(output, f.Number, transform(f.Bytes));
            }
            else
            {
                Write(output, f);
            }
        }

        return output.ToArray();
    }

    private static void Write(MemoryStream output, ProtoField f)
    {
        output.Write(Key(f.Number, f.WireType));
        switch (f.WireType)
        {
            case 0:
                output.Write(Varint(f.Varint));
                break;
            case 1:
                Span<byte> eight = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(eight, f.Varint);
                output.Write(eight);
                break;
            case 2:
                output.Write(Varint((ulong)f.Bytes.Length));
                output.Write(f.Bytes.Span);
                break;
            case 5:
                Span<byte> four = stackalloc byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(four, (uint)f.Varint);
                output.Write(four);
                break;
        }
    }

    private static void WriteBytes(MemoryStream output, int number, byte[] payload)
    {
        output.Write(Key(number, 2));
        output.Write(Varint((ulong)payload.Length));
        output.Write(payload);
    }

    private static byte[] Key(int number, int wireType) => Varint(((ulong)number << 3) | (uint)wireType);

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return [.. bytes];
    }
}
