using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.ImageNet;
using MetaQap.Modeling.Weights;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace MetaQap.Modeling.Tests.ImageNet;

/// <summary>
/// resnet18_cntk with the converted weights against ONNX Runtime running the package's original file. The graph
/// ends in a 7×7 stride-1 average pool (its global pool at 224²); at other sizes it is a sliding pool, so ours is
/// compared through the same pool over its last stage: every value, not only the mean.
/// </summary>
public sealed class OnnxRuntimeParityTests : IClassFixture<ConvertedImageNetWeights>
{
    private readonly ConvertedImageNetWeights _weights;

    public OnnxRuntimeParityTests(ConvertedImageNetWeights weights) => _weights = weights;

    [Theory]
    [InlineData(224, 224)]
    [InlineData(384, 512)]
    public void Pooled_features_match_ONNX_Runtime_on_the_original_graph(int height, int width)
    {
        float[] bgr = MeanSubtractedBgr(height, width, seed: height + width);
        float[] expected = RunOnnx(bgr, height, width, out int[] shape);

        foreach (bool folded in new[] { false, true })
        {
            using var model = _weights.LoadModel();
            if (folded)
            {
                BatchNormFolding.FoldAll(model);
            }

            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Tensor rgb = tensor(bgr, [1, 3, height, width]).flip(1);
            Tensor last = model.ForwardStages(rgb)[^1];
            float[] actual = nn.functional.avg_pool2d(last, 7, 1).contiguous().data<float>().ToArray();
            Assert.Equal(expected.Length, actual.Length);
            Assert.Equal(shape[2] * shape[3] * 512, actual.Length);
            double maxDiff = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(maxDiff <= 1e-4, $"{width}x{height} (folded: {folded}): max abs diff {maxDiff:E2} > 1e-4");
            Assert.True(expected.Max() > 0.5, "The features are not trivially small.");
        }
    }

    [Fact]
    public void The_mean_constants_are_the_package_mean_image_per_channel()
    {
        string prep = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(_weights.OnnxPath))!, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        OnnxTensor mean = OnnxGraph.Read(File.ReadAllBytes(prep)).Initializers["MeanImage"];
        int plane = (int)(mean.Shape[2] * mean.Shape[3]);
        for (int bgr = 0; bgr < 3; bgr++)
        {
            double average = mean.Values.Skip(bgr * plane).Take(plane).Sum(v => (double)v) / plane;
            Assert.Equal(average, ResNetCntk.MeanRgb255[2 - bgr], 9);
        }
    }

    private float[] RunOnnx(float[] bgr, int height, int width, out int[] shape)
    {
        byte[] model = OnnxShapeRelaxer.RelaxSpatialDims(File.ReadAllBytes(_weights.OnnxPath));
        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        using var session = new InferenceSession(model, options);
        var input = new DenseTensor<float>(bgr, [1, 3, height, width]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), input)]);
        Microsoft.ML.OnnxRuntime.Tensors.Tensor<float> output = results.Single().AsTensor<float>();
        shape = [.. output.Dimensions];
        return [.. output];
    }

    /// <summary>A smooth random picture with noise, BGR 0–255 minus the mean, as the package's preprocessing makes.</summary>
    private static float[] MeanSubtractedBgr(int height, int width, int seed)
    {
        var random = new Random(seed);
        var data = new float[3 * height * width];
        for (int c = 0; c < 3; c++)
        {
            double fx = random.NextDouble() * 0.1, fy = random.NextDouble() * 0.1;
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    double v = 128 + (80 * Math.Sin((fx * x) + (fy * y) + c)) + (30 * (random.NextDouble() - 0.5));
                    data[(((c * height) + y) * width) + x] = (float)(Math.Clamp(v, 0, 255) - ResNetCntk.MeanRgb255[2 - c]);
                }
            }
        }

        return data;
    }
}

/// <summary>The package's ONNX file, converted once for a test class into a temporary folder.</summary>
public sealed class ConvertedImageNetWeights : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("metaqap-imagenet-").FullName;

    public ConvertedImageNetWeights()
    {
        OnnxPath = ImageNetPackage.LocateOnnx();
        WeightsPath = Path.Combine(_directory, "resnet18_cntk.safetensors");
        WeightsSha256 = ImageNetPackage.Convert(OnnxPath, WeightsPath);
    }

    public string OnnxPath { get; }

    public string WeightsPath { get; }

    public string WeightsSha256 { get; }

    public ResNetCntk LoadModel(bool multiLevel = false)
    {
        ResNetCntk model = multiLevel ? ResNetCntk.resnet18_cntk_ms() : ResNetCntk.resnet18_cntk();
        model.LoadSafeTensorsStrict(WeightsPath);
        model.eval();
        return model;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
