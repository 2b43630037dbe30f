using MetaQap.Modeling.Artifacts;
using MetaQap.Testing;

namespace MetaQap.Modeling.Tests.Artifacts;

/// <summary>Keeps docs/model-artifact.md honest: its complete example must pass the manifest's structural checks.</summary>
public sealed class ModelArtifactDocumentationTests
{
    [Fact]
    public void Documented_example_manifest_passes_structural_validation()
    {
        var markdown = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "model-artifact.md"));
        const string fence = "```json\n";
        var start = markdown.IndexOf(fence, StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/model-artifact.md has no ```json example");
        start += fence.Length;
        var json = markdown[start..markdown.IndexOf("```", start, StringComparison.Ordinal)];

        var manifest = ManifestJson.Parse(json);

        Assert.Equal(EnsembleManifest.CurrentFormatVersion, manifest.FormatVersion);
        Assert.Equal(EnsembleManifest.StandardScoreScale, manifest.ScoreScale);
        Assert.Equal(25, manifest.BaseModels[0].DistortionLabels.Count);
        Assert.Empty(manifest.BaseModels[1].DistortionLabels);
    }
}
