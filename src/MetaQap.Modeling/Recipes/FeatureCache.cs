using System.Globalization;
using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Features;
using MetaQap.Modeling.ImageNet;
using MetaQap.Modeling.Training;
using MetaQap.Modeling.Weights;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// The frozen ImageNet trunk's block features (<see cref="TrunkFeatureExtractor"/>) of every dataset item at one
/// input size and view side, computed once per run in resumable chunks (<c>features/&lt;size&gt;-&lt;view&gt;/chunk-N/</c>,
/// each a <see cref="WorkUnit"/>): the trunk is the expensive part, every head and fold reads these rows.
/// </summary>
internal static class FeatureCache
{
    public const string Stage = "features";
    public const string ChunkFile = "features.safetensors";

    /// <summary>One chunk unit's record: which items it holds.</summary>
    internal sealed record Chunk(int Start, int Count);

    public static float[][] Rows(RecipeRunFolder folder, RecipeConfig config, RecipeDataset data, ResNetCntk trunk, int inputSize, int viewSide,
        RecipeLog log, CancellationToken cancellationToken)
    {
        var extractor = new TrunkFeatureExtractor(trunk);
        int chunkSize = config.HeadFitting.ChunkSize;
        var rows = new float[data.Items.Count][];
        string view = string.Create(CultureInfo.InvariantCulture, $"{inputSize}-{viewSide}");
        int chunks = (data.Items.Count + chunkSize - 1) / chunkSize;
        for (int c = 0; c < chunks; c++)
        {
            int start = c * chunkSize, count = Math.Min(chunkSize, data.Items.Count - start);
            string directory = folder.PathOf(Stage, view, string.Create(CultureInfo.InvariantCulture, $"chunk-{c + 1:D3}"));
            string label = string.Create(CultureInfo.InvariantCulture, $"features {view} chunk {c + 1}/{chunks}");
            WorkUnit.Run(folder, directory, label, log, dir =>
            {
                using var threads = TorchThreads.Use(config.Threads);
                float[][] part = extractor.Extract([.. data.Items.Skip(start).Take(count)], inputSize, viewSide, config.HeadFitting.TrunkBatchSize,
                    cancellationToken: cancellationToken);
                Save(Path.Combine(dir, ChunkFile), part);
                return new Chunk(start, count);
            });
            float[][] loaded = Load(Path.Combine(directory, ChunkFile), count);
            Array.Copy(loaded, 0, rows, start, count);
        }

        return rows;
    }

    private static void Save(string path, float[][] rows)
    {
        int width = BlockFeatureLayout.Width;
        var flat = new float[rows.Length * width];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i].CopyTo(flat, i * width);
        }

        using Tensor features = tensor(flat, [rows.Length, width]);
        AtomicFile.Write(path, s => SafeTensors.Save(s, new Dictionary<string, Tensor> { ["features"] = features }));
    }

    private static float[][] Load(string path, int count)
    {
        using var state = new ImageNetTrunk.StateDict(path);
        Tensor features = state.Tensors["features"];
        if (features.shape[0] != count || features.shape[1] != BlockFeatureLayout.Width)
        {
            throw new RecipeException($"{path} holds [{string.Join(", ", features.shape)}] features; expected [{count}, {BlockFeatureLayout.Width}]. Delete its folder to recompute it.");
        }

        float[] flat = features.data<float>().ToArray();
        int width = BlockFeatureLayout.Width;
        var rows = new float[count][];
        for (int i = 0; i < count; i++)
        {
            rows[i] = flat.AsSpan(i * width, width).ToArray();
        }

        return rows;
    }
}
