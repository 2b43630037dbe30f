using System.ComponentModel.DataAnnotations;

namespace MetaQap.Worker.Scoring;

/// <summary>The ensemble the worker loads once at start.</summary>
public sealed class ModelOptions
{
    public const string SectionName = "MetaQap:Model";

    /// <summary>An ensemble folder: manifest.json and the weight files it names (docs/model-artifact.md).</summary>
    [Required]
    public string Path { get; set; } = "";
}
