using System.Buffers.Binary;
using System.Text;

namespace MetaQap.Modeling.ImageNet;

/// <summary>
/// The part of an ONNX model file that an import needs: the graph's nodes (operator, inputs, outputs, integer-list
/// attributes) in file order, which ONNX requires to be topological, and its float32 initializers. Read straight from
/// the protobuf wire format (ModelProto.graph = 7; GraphProto.node = 1, initializer = 5; NodeProto input = 1,
/// output = 2, name = 3, op_type = 4, attribute = 5; TensorProto dims = 1, data_type = 2, float_data = 4, name = 8,
/// raw_data = 9), so the project needs no protobuf runtime or generated code for one file it only reads.
/// </summary>
public sealed class OnnxGraph
{
    private const int FloatDataType = 1; // TensorProto.DataType.FLOAT

    internal OnnxGraph(IReadOnlyList<OnnxNode> nodes, IReadOnlyDictionary<string, OnnxTensor> initializers)
    {
        Nodes = nodes;
        Initializers = initializers;
    }

    public IReadOnlyList<OnnxNode> Nodes { get; }

    public IReadOnlyDictionary<string, OnnxTensor> Initializers { get; }

    /// <exception cref="InvalidDataException">The bytes are not a well-formed ONNX model, or an initializer is not float32.</exception>
    public static OnnxGraph Read(ReadOnlyMemory<byte> model)
    {
        var nodes = new List<OnnxNode>();
        var initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        bool sawGraph = false;
        foreach (var field in new ProtoReader(model))
        {
            if (field.Number == 7 && field.IsBytes)
            {
                sawGraph = true;
                foreach (var g in new ProtoReader(field.Bytes))
                {
                    if (g.Number == 1 && g.IsBytes)
                    {
                        nodes.Add(ReadNode(g.Bytes));
                    }
                    else if (g.Number == 5 && g.IsBytes)
                    {
                        OnnxTensor t = ReadTensor(g.Bytes);
                        initializers[t.Name] = t;
                    }
                }
            }
        }

        if (!sawGraph)
        {
            throw new InvalidDataException("Not an ONNX model: no graph field.");
        }

        return new OnnxGraph(nodes, initializers);
    }

    private static OnnxNode ReadNode(ReadOnlyMemory<byte> bytes)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var floats = new Dictionary<string, float>(StringComparer.Ordinal);
        string name = "", op = "";
        foreach (var f in new ProtoReader(bytes))
        {
            switch (f.Number)
            {
                case 1: inputs.Add(f.Text); break;
                case 2: outputs.Add(f.Text); break;
                case 3: name = f.Text; break;
                case 4: op = f.Text; break;
                case 5:
                    var (key, values, value) = ReadAttribute(f.Bytes);
                    attributes[key] = values;
                    if (value is { } single)
                    {
                        floats[key] = single;
                    }

                    break;
            }
        }

        return new OnnxNode(name, op, inputs, outputs, attributes, floats);
    }

    /// <summary>An attribute's name with its integer value(s) (i = 3, ints = 8) and its float (f = 2), if any.</summary>
    private static (string Name, long[] Values, float? Value) ReadAttribute(ReadOnlyMemory<byte> bytes)
    {
        string name = "";
        var values = new List<long>();
        float? single = null;
        foreach (var f in new ProtoReader(bytes))
        {
            if (f.Number == 1)
            {
                name = f.Text;
            }
            else if (f.Number == 2 && !f.IsBytes)
            {
                single = BitConverter.Int32BitsToSingle((int)f.Varint);
            }
            else if (f.Number is 3 or 8)
            {
                ProtoReader.AddVarints(f, values);
            }
        }

        return (name, [.. values], single);
    }

    private static OnnxTensor ReadTensor(ReadOnlyMemory<byte> bytes)
    {
        var dims = new List<long>();
        var floats = new List<float>();
        ReadOnlyMemory<byte> raw = default;
        string name = "";
        int dataType = 0;
        foreach (var f in new ProtoReader(bytes))
        {
            switch (f.Number)
            {
                case 1: ProtoReader.AddVarints(f, dims); break;
                case 2: dataType = (int)f.Varint; break;
                case 4: ProtoReader.AddFloats(f, floats); break;
                case 8: name = f.Text; break;
                case 9: raw = f.Bytes; break;
            }
        }

        if (dataType != FloatDataType)
        {
            throw new InvalidDataException($"Initializer '{name}' has ONNX data type {dataType}; only float32 (1) is supported.");
        }

        long count = dims.Aggregate(1L, (a, d) => a * d);
        float[] values;
        if (!raw.IsEmpty)
        {
            if (raw.Length != count * sizeof(float))
            {
                throw new InvalidDataException($"Initializer '{name}': {raw.Length} raw bytes for {count} floats.");
            }

            values = new float[count];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Span.Slice(i * sizeof(float), sizeof(float)));
            }
        }
        else
        {
            if (floats.Count != count)
            {
                throw new InvalidDataException($"Initializer '{name}': {floats.Count} floats for shape [{string.Join(", ", dims)}].");
            }

            values = [.. floats];
        }

        return new OnnxTensor(name, [.. dims], values);
    }
}

/// <summary>
/// One ONNX node; <see cref="Ints"/> holds its integer and integer-list attributes (kernel_shape, pads, strides …),
/// <see cref="Floats"/> its float ones (epsilon …).
/// </summary>
public sealed record OnnxNode(string Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, long[]> Ints, IReadOnlyDictionary<string, float> Floats);

/// <summary>A float32 initializer, row-major.</summary>
public sealed record OnnxTensor(string Name, long[] Shape, float[] Values);

/// <summary>Protobuf wire-format fields of one message, in order (varint, 64-bit, length-delimited, 32-bit).</summary>
internal readonly struct ProtoReader(ReadOnlyMemory<byte> message)
{
    public Enumerator GetEnumerator() => new(message);

    public static void AddVarints(ProtoField f, List<long> into)
    {
        if (!f.IsBytes)
        {
            into.Add((long)f.Varint);
            return;
        }

        // Packed repeated varints.
        ReadOnlySpan<byte> span = f.Bytes.Span;
        int position = 0;
        while (position < span.Length)
        {
            into.Add((long)ReadVarint(span, ref position));
        }
    }

    public static void AddFloats(ProtoField f, List<float> into)
    {
        if (!f.IsBytes)
        {
            into.Add(BitConverter.Int32BitsToSingle((int)f.Varint));
            return;
        }

        ReadOnlySpan<byte> span = f.Bytes.Span;
        for (int i = 0; i + 4 <= span.Length; i += 4)
        {
            into.Add(BinaryPrimitives.ReadSingleLittleEndian(span.Slice(i, 4)));
        }
    }

    internal static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= span.Length)
            {
                throw new InvalidDataException("Truncated protobuf varint.");
            }

            byte b = span[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new InvalidDataException("Protobuf varint longer than 10 bytes.");
    }

    public struct Enumerator(ReadOnlyMemory<byte> message)
    {
        private int _position;

        public ProtoField Current { get; private set; }

        public bool MoveNext()
        {
            ReadOnlySpan<byte> span = message.Span;
            if (_position >= span.Length)
            {
                return false;
            }

            ulong key = ReadVarint(span, ref _position);
            int number = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0:
                    Current = new ProtoField(number, ReadVarint(span, ref _position), default, false, 0);
                    break;
                case 1:
                    Require(span, 8);
                    Current = new ProtoField(number, BinaryPrimitives.ReadUInt64LittleEndian(span.Slice(_position, 8)), default, false, 1);
                    _position += 8;
                    break;
                case 2:
                    ulong length = ReadVarint(span, ref _position);
                    if (length > (ulong)(span.Length - _position))
                    {
                        throw new InvalidDataException("Protobuf field runs past the end of its message.");
                    }

                    Current = new ProtoField(number, 0, message.Slice(_position, (int)length), true, 2);
                    _position += (int)length;
                    break;
                case 5:
                    Require(span, 4);
                    Current = new ProtoField(number, BinaryPrimitives.ReadUInt32LittleEndian(span.Slice(_position, 4)), default, false, 5);
                    _position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {key & 7}.");
            }

            return true;
        }

        private readonly void Require(ReadOnlySpan<byte> span, int bytes)
        {
            if (span.Length - _position < bytes)
            {
                throw new InvalidDataException("Truncated protobuf field.");
            }
        }
    }
}

/// <summary>One field: its number, wire type, and either a scalar (varint or fixed) or a length-delimited payload.</summary>
internal readonly record struct ProtoField(int Number, ulong Varint, ReadOnlyMemory<byte> Bytes, bool IsBytes, int WireType)
{
    public string Text => Encoding.UTF8.GetString(Bytes.Span);
}
