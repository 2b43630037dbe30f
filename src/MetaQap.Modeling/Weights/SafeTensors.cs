using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Weights;

/// <summary>
/// Reads and writes the safetensors format: an unsigned 64-bit little-endian header length, a UTF-8 JSON header
/// mapping each tensor name to <c>{dtype, shape, data_offsets}</c> (offsets relative to the end of the header),
/// then the raw little-endian tensor bytes. This is what PyTorch-side tools export, so no pickle parser is needed.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";

    // A header larger than this is a corrupt or hostile file, not a model.
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    public static Dictionary<string, Tensor> Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>The string entries of a file's <c>__metadata__</c> (empty without one); reads the header only.</summary>
    public static Dictionary<string, string> ReadMetadata(string path)
    {
        using var stream = File.OpenRead(path);
        JsonObject header = ReadHeader(stream, path);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (header[MetadataKey] is JsonObject metadata)
        {
            foreach (var (key, value) in metadata)
            {
                if (value is JsonValue v && v.TryGetValue(out string? text))
                {
                    result[key] = text;
                }
            }
        }

        return result;
    }

    public static Dictionary<string, Tensor> Load(Stream stream, string sourceName = "stream")
    {
        EnsureLittleEndianHost();
        JsonObject header = ReadHeader(stream, sourceName);

        var entries = new List<(string Name, SafeTensorsDType DType, long[] Shape, long Begin, long End)>();
        foreach (var (name, node) in header)
        {
            if (name == MetadataKey)
            {
                continue;
            }

            entries.Add(ParseEntry(sourceName, name, node));
        }

        // Reading in offset order lets the loader stream the file once, without seeking.
        entries.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        var result = new Dictionary<string, Tensor>(entries.Count, StringComparer.Ordinal);
        long position = 0;
        try
        {
            foreach (var (name, dtype, shape, begin, end) in entries)
            {
                if (begin < position)
                {
                    throw new InvalidDataException($"{sourceName}: tensor '{name}' overlaps the previous one.");
                }

                SkipBytes(stream, begin - position);
                result.Add(name, ReadTensor(stream, sourceName, name, dtype, shape, end - begin));
                position = end;
            }
        }
        catch
        {
            foreach (var tensor in result.Values)
            {
                tensor.Dispose();
            }

            throw;
        }

        return result;
    }

    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var stream = File.Create(path);
        Save(stream, tensors, metadata);
    }

    public static void Save(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        EnsureLittleEndianHost();
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (key, value) in metadata)
            {
                meta[key] = value;
            }

            header[MetadataKey] = meta;
        }

        long offset = 0;
        foreach (var name in names)
        {
            var tensor = tensors[name];
            long size = tensor.NumberOfElements * SafeTensorsDType.FromScalarType(tensor.dtype).ElementSize;
            header[name] = new JsonObject
            {
                ["dtype"] = SafeTensorsDType.FromScalarType(tensor.dtype).Name,
                ["shape"] = new JsonArray(tensor.shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + size),
            };
            offset += size;
        }

        var json = Encoding.UTF8.GetBytes(header.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        // The reference implementation pads the header with spaces so the data starts 8-byte aligned.
        int padding = (8 - (json.Length % 8)) % 8;
        Span<byte> lengthBytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(lengthBytes, json.Length + padding);
        stream.Write(lengthBytes);
        stream.Write(json);
        for (int i = 0; i < padding; i++)
        {
            stream.WriteByte((byte)' ');
        }

        foreach (var name in names)
        {
            using var scope = NewDisposeScope();
            stream.Write(tensors[name].detach().cpu().contiguous().bytes);
        }
    }

    private static JsonObject ReadHeader(Stream stream, string sourceName)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes)
        {
            throw new InvalidDataException($"{sourceName}: implausible safetensors header length {headerLength}.");
        }

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        return JsonNode.Parse(headerBytes) as JsonObject
            ?? throw new InvalidDataException($"{sourceName}: safetensors header is not a JSON object.");
    }

    private static (string, SafeTensorsDType, long[], long, long) ParseEntry(string source, string name, JsonNode? node)
    {
        try
        {
            var dtype = SafeTensorsDType.FromName(node!["dtype"]!.GetValue<string>());
            var shape = node["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            var offsets = node["data_offsets"]!.AsArray();
            long begin = offsets[0]!.GetValue<long>();
            long end = offsets[1]!.GetValue<long>();
            long elements = shape.Aggregate(1L, (a, d) => a * d);
            if (shape.Any(d => d < 0) || end < begin || end - begin != elements * dtype.ElementSize)
            {
                throw new InvalidDataException($"{source}: tensor '{name}' has inconsistent shape and offsets.");
            }

            return (name, dtype, shape, begin, end);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{source}: malformed header entry for '{name}'.", e);
        }
    }

    private static Tensor ReadTensor(Stream stream, string source, string name, SafeTensorsDType dtype, long[] shape, long byteCount)
    {
        var tensor = empty(shape, dtype.ScalarType);
        try
        {
            if (byteCount > 0)
            {
                var buffer = new byte[byteCount];
                try
                {
                    stream.ReadExactly(buffer);
                }
                catch (EndOfStreamException e)
                {
                    throw new InvalidDataException($"{source}: data for tensor '{name}' is truncated.", e);
                }

                tensor.bytes = buffer;
            }

            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    private static void SkipBytes(Stream stream, long count)
    {
        if (count == 0)
        {
            return;
        }

        if (stream.CanSeek)
        {
            stream.Seek(count, SeekOrigin.Current);
            return;
        }

        var scratch = new byte[Math.Min(count, 81920)];
        while (count > 0)
        {
            int read = stream.Read(scratch, 0, (int)Math.Min(count, scratch.Length));
            if (read == 0)
            {
                throw new EndOfStreamException();
            }

            count -= read;
        }
    }

    private static void EnsureLittleEndianHost()
    {
        // Tensor bytes are copied verbatim; a big-endian host would need byte swapping we do not implement.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors I/O requires a little-endian host.");
        }
    }
}
