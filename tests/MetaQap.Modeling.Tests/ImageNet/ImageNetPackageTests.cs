using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.ImageNet;
using MetaQap.Modeling.Weights;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.ImageNet;

public sealed class ImageNetPackageTests(ConvertedImageNetWeights weights) : IClassFixture<ConvertedImageNetWeights>, IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("metaqap-imagenet-test-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void The_conversion_records_the_source_sha256_and_holds_exactly_the_backbone_keys()
    {
        Dictionary<string, string> metadata = SafeTensors.ReadMetadata(weights.WeightsPath);
        Assert.Equal(ImageNetPackage.OnnxSha256, metadata[ImageNetPackage.SourceSha256Key]);
        Assert.Contains(ImageNetPackage.PackageId, metadata[ImageNetPackage.SourceKey], StringComparison.Ordinal);

        using var model = ResNetCntk.resnet18_cntk_blocks();
        using var state = new ImageNetTrunk.StateDict(weights.WeightsPath);
        Assert.Equal(model.state_dict().Keys.Order(StringComparer.Ordinal), state.Tensors.Keys.Order(StringComparer.Ordinal));
        // Every one of the graph's 110 initializers (15,908,800 values: weights and BatchNorm statistics) and nothing else.
        var values = state.Tensors.Where(kv => !kv.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToList();
        Assert.Equal(110, values.Count);
        Assert.Equal(15_908_800, values.Sum(kv => kv.Value.numel()));
    }

    [Fact]
    public void Converting_twice_gives_the_same_bytes()
    {
        string again = Path.Combine(_scratch, "again.safetensors");
        Assert.Equal(weights.WeightsSha256, ImageNetPackage.Convert(weights.OnnxPath, again));
    }

    [Fact]
    public void A_missing_package_is_reported_with_the_package_to_restore()
    {
        var error = Assert.Throws<ImageNetWeightsException>(() => ImageNetPackage.LocateOnnx(Path.Combine(_scratch, "nowhere", "ResNet18.onnx")));
        Assert.Contains($"{ImageNetPackage.PackageId} {ImageNetPackage.PackageVersion}", error.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet restore", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_file_in_its_place_is_refused_by_sha256()
    {
        string impostor = Path.Combine(_scratch, "ResNet18.onnx");
        File.WriteAllBytes(impostor, [1, 2, 3]);
        var error = Assert.Throws<ImageNetWeightsException>(() => ImageNetPackage.LocateOnnx(impostor));
        Assert.Contains(ImageNetPackage.OnnxSha256, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_graph_with_other_padding_is_refused_not_loaded_into_the_wrong_places()
    {
        OnnxGraph graph = OnnxGraph.Read(File.ReadAllBytes(weights.OnnxPath));
        OnnxNode stem = graph.Nodes.First(n => n.OpType == "Conv");
        var ints = new Dictionary<string, long[]>(stem.Ints) { ["pads"] = [3, 3, 3, 3] };
        var nodes = graph.Nodes.Select(n => n == stem ? n with { Ints = ints } : n).ToList();
        var altered = new OnnxGraph(nodes, graph.Initializers);

        var error = Assert.Throws<InvalidDataException>(() => CntkResNetImport.ToStateDict(altered));
        Assert.Contains("conv1", error.Message, StringComparison.Ordinal);
        Assert.Contains("pads", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sides_that_are_not_multiples_of_32_are_centre_cropped_to_one()
    {
        using var model = weights.LoadModel(multiLevel: true);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor odd = randn(1, 3, 101, 75);
        Tensor cropped = odd.narrow(2, 2, 96).narrow(3, 5, 64);

        Tensor a = model.ForwardFeatures(odd);
        Tensor b = model.ForwardFeatures(cropped);

        Assert.Equal(1920, a.shape[1]);
        Assert.Equal(0, (a - b).abs().max().item<float>());
        Assert.Throws<ArgumentException>(() => model.ForwardFeatures(randn(1, 3, 31, 64)));
    }
}
