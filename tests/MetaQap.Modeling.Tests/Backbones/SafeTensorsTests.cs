using MetaQap.Modeling.Runtime;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using MetaQap.Modeling.Weights;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Backbones;

public sealed class SafeTensorsTests
{
    [Fact]
    public void Saved_tensors_load_back_with_names_dtypes_shapes_and_values()
    {
        var original = new Dictionary<string, Tensor>
        {
            ["layer.weight"] = TensorScalars.WithScalar(24, stop => arange(stop, dtype: ScalarType.Float32)).reshape(2, 3, 4) / 7,
            ["layer.num_batches_tracked"] = tensor(123_456_789_012L),
            ["counts"] = tensor(new long[] { -1, 0, long.MaxValue }),
            ["precise"] = tensor(new[] { Math.PI, -Math.E }),
            ["mask"] = tensor(new byte[] { 0, 255, 7 }),
        };
        using var stream = new MemoryStream();

        SafeTensors.Save(stream, original);
        stream.Position = 0;
        var loaded = SafeTensors.Load(stream);

        Assert.Equal(original.Keys.Order(), loaded.Keys.Order());
        foreach (var (name, expected) in original)
        {
            Assert.Equal(expected.dtype, loaded[name].dtype);
            Assert.Equal(expected.shape, loaded[name].shape);
            Assert.True(expected.eq(loaded[name]).all().item<bool>(), name);
        }
    }

    [Fact]
    public void Header_is_length_prefixed_json_padded_to_eight_bytes()
    {
        using var stream = new MemoryStream();

        SafeTensors.Save(stream, new Dictionary<string, Tensor> { ["x"] = ones(3, 5) });

        var bytes = stream.ToArray();
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        Assert.Equal(8 + headerLength + (3 * 5 * 4), bytes.Length);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength).TrimEnd(' '));
        var x = header.RootElement.GetProperty("x");
        Assert.Equal("F32", x.GetProperty("dtype").GetString());
        Assert.Equal(new[] { 3, 5 }, x.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(new[] { 0, 60 }, x.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void A_file_laid_out_by_hand_is_read_regardless_of_entry_order_and_metadata()
    {
        // Two tensors whose header lists the later data first, plus a __metadata__ block, as other writers emit.
        const string json = "{\"b\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]},"
            + "\"__metadata__\":{\"format\":\"pt\"},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        var header = Encoding.UTF8.GetBytes(json);
        var data = new byte[16];
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(0), 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), -2.25f);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(8), 42);
        using var stream = new MemoryStream();
        var length = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, header.Length);
        stream.Write(length);
        stream.Write(header);
        stream.Write(data);
        stream.Position = 0;

        var loaded = SafeTensors.Load(stream);

        Assert.Equal(new[] { "a", "b" }, loaded.Keys.Order());
        Assert.Equal(new[] { 1.5f, -2.25f }, loaded["a"].data<float>().ToArray());
        Assert.Equal(42L, loaded["b"].item<long>());
        Assert.Empty(loaded["b"].shape);
    }

    [Fact]
    public void Truncated_data_is_reported_as_invalid()
    {
        using var full = new MemoryStream();
        SafeTensors.Save(full, new Dictionary<string, Tensor> { ["x"] = ones(100) });
        using var truncated = new MemoryStream(full.ToArray()[..^10]);

        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(truncated));

        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Offsets_that_disagree_with_the_shape_are_rejected()
    {
        var header = Encoding.UTF8.GetBytes("{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,12]}}");
        using var stream = new MemoryStream();
        var length = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, header.Length);
        stream.Write(length);
        stream.Write(header);
        stream.Write(new byte[12]);
        stream.Position = 0;

        Assert.Throws<InvalidDataException>(() => SafeTensors.Load(stream));
    }

    [Fact]
    public void Round_trip_through_a_file_on_disk()
    {
        var path = Path.Combine(Path.GetTempPath(), $"metaqap-safetensors-{Guid.NewGuid():N}.safetensors");
        try
        {
            using var value = randn(4, 4);
            SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = value });

            var loaded = SafeTensors.Load(path);

            Assert.True(value.eq(loaded["w"]).all().item<bool>());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
