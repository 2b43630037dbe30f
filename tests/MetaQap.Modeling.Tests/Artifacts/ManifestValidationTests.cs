using System.Text.Json.Nodes;
using MetaQap.Modeling.Artifacts;

namespace MetaQap.Modeling.Tests.Artifacts;

/// <summary>Crafted manifest.json edits that must each be refused as InvalidManifest, pointing at the field.</summary>
public sealed class ManifestValidationTests
{
    public static TheoryData<string, string> Edits => new()
    {
        { "missing format_version", "$.format_version" },
        { "string format_version", "$.format_version" },
        { "missing version", "$" },
        { "unknown field", "$.score_sacle" },
        { "null score_scale", "$.score_scale" },
        { "version with a space", "$.version" },
        { "no base models", "$.base_models" },
        { "duplicate model name", "$.base_models[1].name" },
        { "fractional input size", "$.base_models[0].input_size" },
        { "zero input size", "$.base_models[0].input_size" },
        { "view side below input size", "$.base_models[0].view_side" },
        { "two normalization means", "$.base_models[0].normalization_mean" },
        { "zero normalization std", "$.base_models[1].normalization_std[2]" },
        { "uppercase sha256", "$.base_models[0].sha256" },
        { "repeated distortion label", "$.base_models[0].distortion_labels[1]" },
        { "null distortion label", "$.base_models[0].distortion_labels[0]" },
        { "zero output scale", "$.base_models[1].output_scale.scale" },
        { "unknown method", "$.meta_learner.method" },
        { "coefficient count mismatch", "$.meta_learner.coefficients" },
        { "no training data", "$.provenance.training_data" },
        { "string metric", "$.metrics.srocc" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void Broken_manifest_is_invalid_at_the_offending_field(string edit, string jsonPath)
    {
        using var folder = new ArtifactFolder();
        folder.SaveEdited(root => Apply(edit, root));

        var error = Assert.Throws<ArtifactException>(() => EnsembleArtifact.Load(folder.Directory));

        Assert.Equal(ArtifactErrorCode.InvalidManifest, error.Code);
        Assert.Equal(jsonPath, error.JsonPath);
        Assert.Contains(jsonPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_is_not_json_is_invalid_with_its_position()
    {
        using var folder = new ArtifactFolder();
        File.WriteAllText(folder.ManifestPath, "{\n  \"format_version\": 1,\n  oops\n}");

        var error = Assert.Throws<ArtifactException>(() => EnsembleArtifact.Load(folder.Directory));

        Assert.Equal(ArtifactErrorCode.InvalidManifest, error.Code);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    private static void Apply(string edit, JsonObject root)
    {
        var model0 = root["base_models"]![0]!.AsObject();
        var model1 = root["base_models"]![1]!.AsObject();
        var metaLearner = root["meta_learner"]!.AsObject();
        switch (edit)
        {
            case "missing format_version": root.Remove("format_version"); break;
            case "string format_version": root["format_version"] = "1"; break;
            case "missing version": root.Remove("version"); break;
            case "unknown field": root["score_sacle"] = "typo"; break;
            case "null score_scale": root["score_scale"] = null; break;
            case "version with a space": root["version"] = "default 2026"; break;
            case "no base models": root["base_models"] = new JsonArray(); break;
            case "duplicate model name": model1["name"] = "resnet18"; break;
            case "fractional input size": model0["input_size"] = 224.5; break;
            case "zero input size": model0["input_size"] = 0; break;
            case "view side below input size": model0["view_side"] = model0["input_size"]!.GetValue<int>() - 1; break;
            case "two normalization means": model0["normalization_mean"] = new JsonArray(0.5, 0.5); break;
            case "zero normalization std": model1["normalization_std"]![2] = 0.0; break;
            case "uppercase sha256": model0["sha256"] = model0["sha256"]!.GetValue<string>().ToUpperInvariant(); break;
            case "repeated distortion label": model0["distortion_labels"]![1] = "gaussian_blur"; break;
            case "null distortion label": model0["distortion_labels"]![0] = null; break;
            case "zero output scale": model1["output_scale"]!["scale"] = 0.0; break;
            case "unknown method": metaLearner["method"] = "ridge"; break;
            case "coefficient count mismatch": metaLearner["coefficients"] = new JsonArray(1.0); break;
            case "no training data": root["provenance"]!["training_data"] = new JsonArray(); break;
            case "string metric": root["metrics"]!["srocc"] = "high"; break;
            default: throw new ArgumentOutOfRangeException(nameof(edit), edit, "unknown edit");
        }
    }
}
