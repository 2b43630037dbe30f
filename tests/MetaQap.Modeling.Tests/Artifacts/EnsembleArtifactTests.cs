using System.Text;
using System.Text.Json.Nodes;
using MetaQap.Modeling.Artifacts;

namespace MetaQap.Modeling.Tests.Artifacts;

public sealed class EnsembleArtifactTests
{
    [Fact]
    public void Saved_manifest_loads_back_with_every_field()
    {
        using var folder = new ArtifactFolder();
        folder.Save();

        var loaded = EnsembleArtifact.Load(folder.Directory);
        var expected = folder.Manifest;

        Assert.Equal(EnsembleManifest.CurrentFormatVersion, loaded.FormatVersion);
        Assert.Equal(expected.Version, loaded.Version);
        Assert.Equal(expected.ScoreScale, loaded.ScoreScale);
        Assert.Equal(expected.CreatedAt, loaded.CreatedAt);
        Assert.Equal(expected.BaseModels.Count, loaded.BaseModels.Count);
        for (var i = 0; i < expected.BaseModels.Count; i++)
        {
            var (e, a) = (expected.BaseModels[i], loaded.BaseModels[i]);
            Assert.Equal(e.Name, a.Name);
            Assert.Equal(e.Architecture, a.Architecture);
            Assert.Equal(e.InputSize, a.InputSize);
            Assert.Equal(e.NormalizationMean, a.NormalizationMean);
            Assert.Equal(e.NormalizationStd, a.NormalizationStd);
            Assert.Equal(e.WeightsFile, a.WeightsFile);
            Assert.Equal(e.Sha256, a.Sha256);
            Assert.Equal(e.DistortionLabels, a.DistortionLabels);
            Assert.Equal(e.OutputScale, a.OutputScale);
        }

        Assert.Equal(expected.MetaLearner.Method, loaded.MetaLearner.Method);
        Assert.Equal(expected.MetaLearner.Intercept, loaded.MetaLearner.Intercept);
        Assert.Equal(expected.MetaLearner.Predictors, loaded.MetaLearner.Predictors);
        Assert.Equal(expected.MetaLearner.Coefficients, loaded.MetaLearner.Coefficients);
        Assert.Equal(expected.Provenance.Recipe, loaded.Provenance.Recipe);
        Assert.Equal(expected.Provenance.Command, loaded.Provenance.Command);
        Assert.Equal(expected.Provenance.TrainingData, loaded.Provenance.TrainingData);
        Assert.Equal(expected.Provenance.Seed, loaded.Provenance.Seed);
        Assert.Equal(expected.Provenance.GitCommit, loaded.Provenance.GitCommit);
        Assert.Equal(expected.Provenance.Notes, loaded.Provenance.Notes);
        Assert.Equal(expected.Metrics.OrderBy(m => m.Key), loaded.Metrics.OrderBy(m => m.Key));
    }

    [Fact]
    public void Manifest_uses_snake_case_keys_and_leaves_no_temporary_file()
    {
        using var folder = new ArtifactFolder();
        folder.Save();
        folder.Save(); // the second save replaces the first through the same temp-and-rename path

        var text = File.ReadAllText(folder.ManifestPath);
        foreach (var key in new[] { "\"format_version\": 1", "\"base_models\"", "\"weights_file\"", "\"normalization_std\"", "\"meta_learner\"", "\"git_commit\"", "\"created_at\"", "\"output_scale\"" })
        {
            Assert.Contains(key, text, StringComparison.Ordinal);
        }

        Assert.Equal(
            new[] { EnsembleArtifact.ManifestFileName, "mobilenet_v3_small.bin" },
            Directory.GetFiles(folder.Directory).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Sha256_of_a_file_matches_the_standard_test_vector()
    {
        using var folder = new ArtifactFolder();
        var file = folder.PathOf("abc.txt");
        File.WriteAllText(file, "abc", Encoding.ASCII);

        // FIPS 180-2, appendix B.1: SHA-256("abc").
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", EnsembleArtifact.Sha256Of(file));
    }

    [Fact]
    public void Missing_folder_or_manifest_is_missing_manifest()
    {
        using var folder = new ArtifactFolder();

        Assert.Equal(ArtifactErrorCode.MissingManifest, Load(folder.Directory).Code);
        Assert.Equal(ArtifactErrorCode.MissingManifest, Load(folder.PathOf("no-such-folder")).Code);
    }

    [Fact]
    public void Newer_format_version_is_refused_with_a_clear_message()
    {
        using var folder = new ArtifactFolder();
        // A future format may change the shape entirely; the version must be reported before anything else.
        folder.SaveEdited(root =>
        {
            root["format_version"] = 2;
            root["base_models"] = "reshaped in format 2";
        });

        var error = Load(folder.Directory);

        Assert.Equal(ArtifactErrorCode.UnsupportedFormatVersion, error.Code);
        Assert.Contains("manifest format 2 is newer than this build supports (1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_version_zero_is_unsupported()
    {
        using var folder = new ArtifactFolder();
        folder.SaveEdited(root => root["format_version"] = 0);

        Assert.Equal(ArtifactErrorCode.UnsupportedFormatVersion, Load(folder.Directory).Code);
    }

    [Fact]
    public void Deleted_weights_file_is_missing_weights()
    {
        using var folder = new ArtifactFolder();
        folder.Save();
        File.Delete(folder.PathOf("mobilenet_v3_small.bin"));

        var error = Load(folder.Directory);

        Assert.Equal(ArtifactErrorCode.MissingWeights, error.Code);
        Assert.Contains("mobilenet_v3_small.bin", error.Message, StringComparison.Ordinal);
        Assert.Equal("$.base_models[1].weights_file", error.JsonPath);
    }

    [Fact]
    public void One_flipped_byte_in_a_weights_file_is_a_checksum_mismatch_naming_both_hashes()
    {
        using var folder = new ArtifactFolder();
        folder.Save();
        var file = folder.PathOf("weights/resnet18.bin");
        var bytes = File.ReadAllBytes(file);
        bytes[1234] ^= 0x01;
        File.WriteAllBytes(file, bytes);

        var error = Load(folder.Directory);

        Assert.Equal(ArtifactErrorCode.ChecksumMismatch, error.Code);
        Assert.Contains("weights/resnet18.bin", error.Message, StringComparison.Ordinal);
        Assert.Contains(folder.Manifest.BaseModels[0].Sha256, error.Message, StringComparison.Ordinal);
        Assert.Contains(EnsembleArtifact.Sha256Of(file), error.Message, StringComparison.Ordinal);
        Assert.Equal("$.base_models[0].sha256", error.JsonPath);
    }

    [Fact]
    public void Meta_learner_naming_an_absent_model_is_unknown_predictor()
    {
        using var folder = new ArtifactFolder();
        folder.SaveEdited(root => root["meta_learner"]!["predictors"]![1] = "densenet201");

        var error = Load(folder.Directory);

        Assert.Equal(ArtifactErrorCode.UnknownPredictor, error.Code);
        Assert.Contains("densenet201", error.Message, StringComparison.Ordinal);
        Assert.Equal("$.meta_learner.predictors[1]", error.JsonPath);
    }

    [Theory]
    [InlineData("../outside.bin")]
    [InlineData("weights/../../outside.bin")]
    [InlineData("/etc/passwd")]
    [InlineData("weights\\resnet18.bin")]
    [InlineData("C:/weights/resnet18.bin")]
    [InlineData("./mobilenet_v3_small.bin")]
    public void Weights_path_leaving_the_folder_is_rejected(string weightsFile)
    {
        using var folder = new ArtifactFolder();
        // Even a file with the right bytes must not be reachable outside the folder.
        var outside = Path.Combine(Path.GetDirectoryName(folder.Directory)!, "outside.bin");
        File.Copy(folder.PathOf("mobilenet_v3_small.bin"), outside, overwrite: true);
        try
        {
            folder.SaveEdited(root => root["base_models"]![1]!["weights_file"] = weightsFile);

            var error = Load(folder.Directory);

            Assert.Equal(ArtifactErrorCode.InvalidManifest, error.Code);
            Assert.Equal("$.base_models[1].weights_file", error.JsonPath);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public void Save_refuses_a_traversing_path_and_writes_nothing()
    {
        using var folder = new ArtifactFolder();
        var manifest = folder.Manifest with
        {
            BaseModels = [folder.Manifest.BaseModels[0] with { WeightsFile = "../resnet18.bin" }],
            MetaLearner = folder.Manifest.MetaLearner with { Predictors = ["resnet18"], Coefficients = [1.0] },
        };

        var error = Assert.Throws<ArtifactException>(() => EnsembleArtifact.Save(folder.Directory, manifest));

        Assert.Equal(ArtifactErrorCode.InvalidManifest, error.Code);
        Assert.False(File.Exists(folder.ManifestPath));
    }

    [Fact]
    public void Save_refuses_weights_that_do_not_match_their_checksum()
    {
        using var folder = new ArtifactFolder();
        var manifest = folder.Manifest with
        {
            BaseModels = [folder.Manifest.BaseModels[0] with { Sha256 = new string('0', 64) }, folder.Manifest.BaseModels[1]],
        };

        Assert.Equal(
            ArtifactErrorCode.ChecksumMismatch,
            Assert.Throws<ArtifactException>(() => EnsembleArtifact.Save(folder.Directory, manifest)).Code);
        Assert.False(File.Exists(folder.ManifestPath));
    }

    private static ArtifactException Load(string directory) =>
        Assert.Throws<ArtifactException>(() => EnsembleArtifact.Load(directory));
}
