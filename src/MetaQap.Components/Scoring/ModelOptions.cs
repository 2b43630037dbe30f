using System.ComponentModel.DataAnnotations;

namespace MetaQap.Components.Scoring;

/// <summary>The ensemble the worker loads once at start.</summary>
public sealed class ModelOptions
{
    public const string SectionName = "MetaQap:Model";

    /// <summary>An ensemble folder: manifest.json and the weight files it names (docs/model-artifact.md).</summary>
    [Required]
    public string Path { get; set; } = "";

    /// <summary>Torch device: "cpu" (default), "cuda" or "cuda:N" (needs the TorchBackend=cuda build).</summary>
    [Required]
    [RegularExpression("^(cpu|cuda(:[0-9]+)?)$", ErrorMessage = "Device must be cpu, cuda or cuda:N.")]
    public string Device { get; set; } = "cpu";

    /// <summary>Torch intra-op CPU threads; 0 keeps torch's default (one per core).</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }
}
