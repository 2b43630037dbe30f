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

    /// <summary>
    /// The rows a finished run cached at this view (the ablation reads the recipe run's instead of recomputing them);
    /// <see cref="RecipeException"/> when a chunk is missing.
    /// </summary>
    public static float[][] ReadFinished(string runRoot, RecipeConfig config, int items, int inputSize, int viewSide)
    {
        int chunkSize = config.HeadFitting.ChunkSize;
        var rows = new float[items][];
        string view = string.Create(CultureInfo.InvariantCulture, $"{inputSize}-{viewSide}");
        int chunks = (items + chunkSize - 1) / chunkSize;
        for (int c = 0; c < chunks; c++)
        {
            int start = c * chunkSize, count = Math.Min(chunkSize, items - start);
            string directory = Path.Combine(runRoot, Stage, view, string.Create(CultureInfo.InvariantCulture, $"chunk-{c + 1:D3}"));
            if (!WorkUnit.IsComplete(directory))
            {
                throw new RecipeException($"{directory} is not complete; finish the recipe run first (re-run its command).");
            }

            Array.Copy(Load(Path.Combine(directory, ChunkFile), count), 0, rows, start, count);
        }

        return rows;
    }

    /// <summary>Seconds the run's feature units took at this view.</summary>
    public static double Seconds(string runRoot, int inputSize, int viewSide)
    {
        string directory = Path.Combine(runRoot, Stage, string.Create(CultureInfo.InvariantCulture, $"{inputSize}-{viewSide}"));
        return Directory.Exists(directory)
            ? Directory.GetDirectories(directory).Where(WorkUnit.IsComplete).Sum(d => WorkUnit.Read<Chunk>(d).Seconds)
            : 0;
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
