using System.Globalization;
using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Weights;

namespace MetaQap.Modeling.Tests.Backbones;

/// <summary>
/// State dicts must equal torchvision 0.14's key for key, with the same dtype and shape, or ImageNet weights
/// would not load. The expected lists in Keys/ were written once by
/// <c>/usr/bin/python3 tools/parity/export_torchvision.py ARCH tests/MetaQap.Modeling.Tests/Backbones/Keys --keys-only</c>.
/// </summary>
public sealed class BackboneKeysTests
{
    public static TheoryData<string> Architectures => [.. BackboneFactory.TorchvisionArchitectures];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void State_dict_names_dtypes_and_shapes_equal_torchvision(string architecture)
    {
        using var model = BackboneFactory.Create(architecture);

        var actual = Describe(model.state_dict());
        var expected = ReadExpected(architecture);

        Assert.Equal(expected.Count, actual.Count);
        Assert.Empty(expected.Except(actual));
        Assert.Empty(actual.Except(expected));
    }

    [Fact]
    public void Inception_without_aux_logits_lacks_exactly_the_AuxLogits_keys()
    {
        using var model = Inception3.inception_v3(auxLogits: false);

        var expected = ReadExpected("inception_v3").Where(line => !line.StartsWith("AuxLogits.", StringComparison.Ordinal)).ToHashSet();

        Assert.True(expected.SetEquals(Describe(model.state_dict())));
        Assert.False(model.HasAuxLogits);
    }

    [Fact]
    public void Every_architecture_has_an_expected_key_list()
    {
        var files = Directory.GetFiles(KeysDirectory, "*.keys").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);

        Assert.Equal(BackboneFactory.TorchvisionArchitectures.Order(StringComparer.Ordinal), files);
    }

    private static string KeysDirectory => Path.Combine(AppContext.BaseDirectory, "Backbones", "Keys");

    private static HashSet<string> ReadExpected(string architecture) =>
        File.ReadAllLines(Path.Combine(KeysDirectory, architecture + ".keys")).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> Describe(Dictionary<string, TorchSharp.torch.Tensor> stateDict) =>
        stateDict
            .Select(kv => string.Create(
                CultureInfo.InvariantCulture,
                $"{kv.Key} {SafeTensorsDType.FromScalarType(kv.Value.dtype).Name} [{string.Join(",", kv.Value.shape)}]"))
            .ToHashSet(StringComparer.Ordinal);
}
