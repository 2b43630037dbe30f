using System.Globalization;
using MetaQap.Modeling.Backbones;
using static TorchSharp.torch;

namespace MetaQap.Modeling.ImageNet;

/// <summary>
/// Maps the CNTK ResNet's ONNX graph onto <see cref="ResNetCntk"/>'s state dict by following the graph, not its
/// generated names (Parameter91, Convolution249 …): the stem is the Conv fed by the graph input; every Add is one
/// BasicBlock, whose one input traces back BN ← Conv (conv2) ← Relu ← BN ← Conv (conv1) and whose other input is
/// either the block input (identity) or BN ← Conv (the projection shortcut). Each conv's kernel, stride, padding
/// and group, each BatchNorm's epsilon, and the block layout (2, 2, 2, 3; shortcuts exactly where a stage starts)
/// are checked against what <see cref="ResNetCntk"/> computes, so a different file is refused rather than loaded
/// into the wrong places. conv1's input channels are reordered from CNTK's BGR to RGB.
/// </summary>
public static class CntkResNetImport
{
    private static readonly int[] BlocksPerStage = [2, 2, 2, 3];

    /// <summary>Tensors keyed as <see cref="ResNetCntk"/>'s state dict (the caller disposes them).</summary>
    /// <exception cref="InvalidDataException">The graph is not the expected ResNet.</exception>
    public static Dictionary<string, Tensor> ToStateDict(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var producers = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
        foreach (OnnxNode node in graph.Nodes)
        {
            foreach (string output in node.Outputs)
            {
                producers[output] = node;
            }
        }

        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            OnnxNode stem = graph.Nodes.FirstOrDefault(n => n.OpType == "Conv")
                ?? throw new InvalidDataException("The graph has no convolution.");
            AddConv(graph, state, "conv1", stem, kernel: 7, stride: 2, pads: [3, 3, 2, 2], bgrToRgb: true);
            AddNorm(graph, state, "bn1", Consumer(graph, stem, "BatchNormalization"));

            List<OnnxNode> adds = [.. graph.Nodes.Where(n => n.OpType == "Add")];
            if (adds.Count != BlocksPerStage.Sum())
            {
                throw new InvalidDataException($"The graph has {adds.Count} residual additions; the CNTK ResNet-18 has {BlocksPerStage.Sum()}.");
            }

            int block = 0;
            for (int stage = 0; stage < BlocksPerStage.Length; stage++)
            {
                for (int i = 0; i < BlocksPerStage[stage]; i++, block++)
                {
                    bool strided = stage > 0 && i == 0;
                    AddBlock(graph, producers, state, $"layer{stage + 1}.{i}", adds[block], strided);
                }
            }

            return state;
        }
        catch
        {
            foreach (Tensor t in state.Values)
            {
                t.Dispose();
            }

            throw;
        }
    }

    private static void AddBlock(OnnxGraph graph, Dictionary<string, OnnxNode> producers, Dictionary<string, Tensor> state,
        string prefix, OnnxNode add, bool strided)
    {
        if (add.Inputs.Count != 2)
        {
            throw new InvalidDataException($"{prefix}: residual addition '{add.Name}' has {add.Inputs.Count} inputs.");
        }

        // The main branch ends in a BN whose conv is fed by a ReLU; a projection shortcut's conv is not.
        OnnxNode? main = null, shortcut = null;
        foreach (string input in add.Inputs)
        {
            if (producers.TryGetValue(input, out OnnxNode? p) && p.OpType == "BatchNormalization"
                && producers.TryGetValue(p.Inputs[0], out OnnxNode? conv) && conv.OpType == "Conv"
                && producers.TryGetValue(conv.Inputs[0], out OnnxNode? before) && before.OpType == "Relu"
                && producers.TryGetValue(before.Inputs[0], out OnnxNode? bn) && bn.OpType == "BatchNormalization"
                && main is null && IsBlockBranch(producers, bn))
            {
                main = p;
            }
            else if (p is { OpType: "BatchNormalization" })
            {
                shortcut = p;
            }
        }

        if (main is null)
        {
            throw new InvalidDataException($"{prefix}: residual addition '{add.Name}' has no conv-BN-ReLU-conv-BN branch.");
        }

        if (strided != (shortcut is not null))
        {
            throw new InvalidDataException($"{prefix}: expected {(strided ? "a projection shortcut" : "an identity shortcut")} at '{add.Name}'.");
        }

        OnnxNode conv2 = producers[main.Inputs[0]];
        OnnxNode bn1 = producers[producers[conv2.Inputs[0]].Inputs[0]];
        OnnxNode conv1 = producers[bn1.Inputs[0]];
        AddConv(graph, state, $"{prefix}.conv1", conv1, 3, strided ? 2 : 1, strided ? [1, 1, 0, 0] : [1, 1, 1, 1]);
        AddNorm(graph, state, $"{prefix}.bn1", bn1);
        AddConv(graph, state, $"{prefix}.conv2", conv2, 3, 1, [1, 1, 1, 1]);
        AddNorm(graph, state, $"{prefix}.bn2", main);
        if (shortcut is not null)
        {
            AddConv(graph, state, $"{prefix}.downsample.0", producers[shortcut.Inputs[0]], 1, 2, [0, 0, 0, 0]);
            AddNorm(graph, state, $"{prefix}.downsample.1", shortcut);
        }
    }

    private static bool IsBlockBranch(Dictionary<string, OnnxNode> producers, OnnxNode bn) =>
        producers.TryGetValue(bn.Inputs[0], out OnnxNode? conv) && conv.OpType == "Conv";

    private static OnnxNode Consumer(OnnxGraph graph, OnnxNode node, string opType) =>
        graph.Nodes.FirstOrDefault(n => n.OpType == opType && n.Inputs.Count > 0 && n.Inputs[0] == node.Outputs[0])
        ?? throw new InvalidDataException($"No {opType} follows '{node.Name}'.");

    private static void AddConv(OnnxGraph graph, Dictionary<string, Tensor> state, string key, OnnxNode conv,
        int kernel, int stride, long[] pads, bool bgrToRgb = false)
    {
        Expect(conv, "kernel_shape", [kernel, kernel], key);
        Expect(conv, "strides", [stride, stride], key);
        Expect(conv, "pads", pads, key);
        if (conv.Ints.TryGetValue("group", out long[]? group) && group.Length == 1 && group[0] != 1)
        {
            throw new InvalidDataException($"{key}: convolution '{conv.Name}' is grouped ({group[0]}).");
        }

        if (conv.Inputs.Count != 2)
        {
            throw new InvalidDataException($"{key}: convolution '{conv.Name}' has a bias or lacks weights ({conv.Inputs.Count} inputs).");
        }

        Tensor weight = Initializer(graph, conv.Inputs[1], key);
        if (bgrToRgb)
        {
            using Tensor bgr = weight;
            weight = bgr.flip(1).contiguous();
        }

        state[$"{key}.weight"] = weight;
    }

    private static void AddNorm(OnnxGraph graph, Dictionary<string, Tensor> state, string key, OnnxNode bn)
    {
        if (bn.OpType != "BatchNormalization" || bn.Inputs.Count != 5)
        {
            throw new InvalidDataException($"{key}: '{bn.Name}' is not a BatchNormalization with scale, bias, mean and variance.");
        }

        // BatchNorm2d's epsilon is 1e-5, as CNTK's (stored as the float nearest to it).
        if (!bn.Floats.TryGetValue("epsilon", out float epsilon) || Math.Abs(epsilon - 1e-5) > 1e-9)
        {
            throw new InvalidDataException($"{key}: '{bn.Name}' has epsilon {epsilon}; resnet18_cntk uses 1e-5.");
        }

        string[] names = ["weight", "bias", "running_mean", "running_var"];
        for (int i = 0; i < names.Length; i++)
        {
            state[$"{key}.{names[i]}"] = Initializer(graph, bn.Inputs[i + 1], key);
        }

        state[$"{key}.num_batches_tracked"] = tensor(0L);
    }

    private static void Expect(OnnxNode node, string attribute, long[] expected, string key)
    {
        long[] actual = node.Ints.TryGetValue(attribute, out long[]? v) ? v : [];
        if (!actual.SequenceEqual(expected))
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{key}: '{node.Name}' has {attribute} [{string.Join(", ", actual)}]; resnet18_cntk computes [{string.Join(", ", expected)}]."));
        }
    }

    private static Tensor Initializer(OnnxGraph graph, string name, string key) =>
        graph.Initializers.TryGetValue(name, out OnnxTensor? t)
            ? tensor(t.Values, t.Shape)
            : throw new InvalidDataException($"{key}: initializer '{name}' is missing from the graph.");
}
