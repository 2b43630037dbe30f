using System.Globalization;
using System.Text;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Weights;

/// <summary>Strict state-dict loading with a diagnosis that names every missing, unexpected or mis-shaped key.</summary>
public static class StateDictLoading
{
    // Enough to see the pattern of a mismatch without flooding a log with a thousand DenseNet keys.
    private const int MaxListedPerKind = 20;

    /// <summary>
    /// Copies every tensor of <paramref name="source"/> into the module's parameters and buffers (values are
    /// converted to the target's dtype and device, as PyTorch's load_state_dict does). Nothing is copied unless
    /// the key sets are identical and every shape matches.
    /// </summary>
    /// <exception cref="StateDictMismatchException">Keys or shapes differ; the message lists them.</exception>
    public static void LoadStateDictStrict(this Module module, IReadOnlyDictionary<string, Tensor> source)
    {
        var target = module.state_dict();
        var missing = target.Keys.Where(k => !source.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var unexpected = source.Keys.Where(k => !target.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var shapeMismatches = target
            .Where(kv => source.TryGetValue(kv.Key, out var s) && !s.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{kv.Key}: expected [{Shape(kv.Value)}], got [{Shape(source[kv.Key])}]")
            .Order(StringComparer.Ordinal)
            .ToList();

        if (missing.Count + unexpected.Count + shapeMismatches.Count > 0)
        {
            throw new StateDictMismatchException(Describe(module.GetName(), missing, unexpected, shapeMismatches), missing, unexpected, shapeMismatches);
        }

        using var noGrad = no_grad();
        foreach (var (key, destination) in target)
        {
            destination.copy_(source[key]);
        }
    }

    /// <summary><see cref="LoadStateDictStrict"/> from a safetensors file, whose tensors are disposed once copied.</summary>
    public static void LoadSafeTensorsStrict(this Module module, string path)
    {
        Dictionary<string, Tensor> source = SafeTensors.Load(path);
        try
        {
            module.LoadStateDictStrict(source);
        }
        finally
        {
            foreach (Tensor t in source.Values)
            {
                t.Dispose();
            }
        }
    }

    private static string Shape(Tensor t) => string.Join(", ", t.shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));

    private static string Describe(string moduleName, List<string> missing, List<string> unexpected, List<string> shapes)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"State dict does not match {moduleName}:");
        Append(text, "missing keys", missing);
        Append(text, "unexpected keys", unexpected);
        Append(text, "shape mismatches", shapes);
        return text.ToString();
    }

    private static void Append(StringBuilder text, string kind, List<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $" {items.Count} {kind} [");
        text.AppendJoin(", ", items.Take(MaxListedPerKind));
        if (items.Count > MaxListedPerKind)
        {
            text.Append(CultureInfo.InvariantCulture, $", … {items.Count - MaxListedPerKind} more");
        }

        text.Append("];");
    }
}
