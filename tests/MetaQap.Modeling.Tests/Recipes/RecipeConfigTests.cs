using MetaQap.Imaging.Distortions;
using MetaQap.Modeling.Recipes;
using MetaQap.Testing;

namespace MetaQap.Modeling.Tests.Recipes;

public sealed class RecipeConfigTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("metaqap-recipe-config-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Default_preset_is_one_rank_head_on_the_imagenet_trunk_at_384_fitted_on_photos_only()
    {
        RecipeConfig preset = RecipePresets.Default;

        preset.Validate();
        Assert.Empty(preset.BaseModels);
        HeadRecipe head = Assert.Single(preset.Heads);
        Assert.Equal(("resnet18_cntk", 384, 384, HeadKind.Rank), (head.Architecture, head.InputSize, head.ViewSide, head.Kind));
        Assert.Equal(0, preset.Pretraining.SyntheticContents);
        Assert.Equal(EnsembleMethod.Stepwise, preset.HeldOut.MetaLearner); // maps the head's units onto 0-100
        Assert.Equal((384, 192, 2), (preset.Ranking.ViewSide, preset.Ranking.CropSize, preset.Ranking.CropsPerContent));
        Assert.Equal(11, preset.Ranking.Types.Count);
        Assert.DoesNotContain(DistortionType.ColorBlock, preset.Ranking.Types);
        Assert.DoesNotContain(DistortionType.NonEccentricityPatch, preset.Ranking.Types);
    }

    public static TheoryData<string> ShippedConfigs =>
        [.. Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "configs"), "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(ShippedConfigs))]
    public void Every_config_the_docs_cite_loads_and_validates(string file)
    {
        RecipeConfig config = RecipeConfig.Load(Path.Combine(RepositoryPaths.Root, "configs", file)); // Load validates

        Assert.NotEmpty(config.BaseModels.Select(m => m.Name).Concat(config.Heads.Select(h => h.Name)));
    }

    [Fact]
    public void The_former_cnn_default_config_still_loads_with_its_three_cpu_base_models()
    {
        RecipeConfig config = RecipeConfig.Load(Path.Combine(RepositoryPaths.Root, "configs", "default-cnn.json"));

        Assert.Equal(
            ["r10a:resnet10_w32@160 seed 1", "mnv3:mobilenet_v3_small@160 seed 2", "r10b:resnet10_w32@224 seed 3"],
            config.BaseModels.Select(m => $"{m.Name}:{m.Architecture}@{m.InputSize} seed {m.Seed}"));
        Assert.Empty(config.Heads);
        Assert.Equal((64, 6, 150, 32, 3e-4), (config.Pretraining.SyntheticContents, config.Pretraining.Epochs, config.Pretraining.StepsPerEpoch,
            config.Pretraining.BatchSize, config.Pretraining.LearningRate));
    }

    [Fact]
    public void Biq2021_preset_is_heads_on_the_imagenet_trunk_at_two_views_within_a_90_minute_budget()
    {
        RecipeConfig preset = RecipePresets.Biq2021;

        preset.Validate();
        Assert.Empty(preset.BaseModels);
        Assert.Equal(90, preset.BudgetMinutes);
        Assert.Equal([(512, 512), (256, 256)], preset.Heads.Select(h => (h.InputSize, h.ViewSide)).Distinct());
        Assert.All(preset.Heads, h => Assert.StartsWith("resnet18_cntk", h.Architecture, StringComparison.Ordinal));
        Assert.Contains(preset.Heads, h => h.Kind == HeadKind.Mlp);
        Assert.Contains(preset.Heads, h => h.Kind == HeadKind.Ridge);
        // A CNN base model that a config adds is pretrained as the former CNN default did (dead leaves too).
        Assert.Equal(RecipePresets.Default.Pretraining with { SyntheticContents = 64 }, preset.Pretraining);
        Assert.Equal(RecipePresets.Default.FineTuning, preset.FineTuning);
    }

    [Theory]
    [InlineData("\"architecture\": \"resnet18_cntk_ms\"", "\"architecture\": \"resnet18\"", "heads[1].architecture 'resnet18' is not a frozen-trunk head")]
    [InlineData("\"name\": \"ridge-ms-512\"", "\"name\": \"ridge-pool-512\"", "heads[1].name 'ridge-pool-512' is used twice")]
    [InlineData("\"input_size\": 256", "\"input_size\": 250", "heads[5].input_size must be a multiple of 32")]
    [InlineData("\"view_side\": 256", "\"view_side\": 224", "heads[5].view_side must be at least its input_size")]
    [InlineData("\"chunk_size\": 500", "\"chunk_size\": 0", "head_fitting.chunk_size must be at least 1")]
    [InlineData("\"budget_minutes\": 90", "\"budget_minutes\": -1", "budget_minutes must be positive")]
    public void An_invalid_head_setting_is_refused_by_its_json_path(string from, string to, string message)
    {
        string json = RecipePresets.Biq2021.ToJson();
        Assert.Contains(from, json, StringComparison.Ordinal);
        var error = Assert.Throws<RecipeException>(() => RecipeConfig.Load(Write(ReplaceFirst(json, from, to))));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_without_base_models_or_heads_is_refused()
    {
        string json = RecipePresets.Biq2021.ToJson();
        int start = json.IndexOf("\"heads\": [", StringComparison.Ordinal);
        int end = json.IndexOf(']', start);
        var error = Assert.Throws<RecipeException>(() => RecipeConfig.Load(Write(json[..start] + "\"heads\": []" + json[(end + 1)..])));

        Assert.Contains("base_models needs at least one model (or heads one head)", error.Message, StringComparison.Ordinal);
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        int at = text.IndexOf(from, StringComparison.Ordinal);
        return text[..at] + to + text[(at + from.Length)..];
    }

    [Fact]
    public void A_config_survives_a_round_trip_through_its_json_file()
    {
        string file = Write(RecipePresets.Biq2021.ToJson());

        RecipeConfig loaded = RecipeConfig.Load(file);

        Assert.Equal(RecipePresets.Biq2021.ToJson(), loaded.ToJson());
        Assert.Contains("\"steps_per_epoch\": 150", loaded.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_is_refused_rather_than_ignored()
    {
        string file = Write(RecipePresets.Default.ToJson().Replace("\"steps_per_epoch\"", "\"steps_per_epohc\"", StringComparison.Ordinal));

        var error = Assert.Throws<RecipeException>(() => RecipeConfig.Load(file));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains("steps_per_epohc", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"architecture\": \"mobilenet_v3_small\"", "\"architecture\": \"vgg16\"", "base_models[1].architecture 'vgg16' is unknown")]
    [InlineData("\"name\": \"mnv3\"", "\"name\": \"r10a\"", "base_models[1].name 'r10a' is used twice")]
    [InlineData("\"name\": \"mnv3\"", "\"name\": \"mn v3\"", "base_models[1].name 'mn v3' must start with a letter or digit")]
    [InlineData("\"input_size\": 224", "\"input_size\": 16", "base_models[2].input_size must be at least 32")]
    [InlineData("\"folds\": 5,\n    \"epochs\"", "\"folds\": 1,\n    \"epochs\"", "fine_tuning.folds must be at least 2")]
    [InlineData("\"content_fraction\": 0.2", "\"content_fraction\": 1", "held_out.content_fraction must be in (0, 1)")]
    [InlineData("\"srocc_weight\": 0.5", "\"srocc_weight\": -1", "fine_tuning.mse_weight and srocc_weight")]
    [InlineData("\"crop_size\": 256", "\"crop_size\": 250", "ranking.crop_size must be a multiple of 32")]
    [InlineData("\"crops_per_content\": 2", "\"crops_per_content\": 0", "ranking.crops_per_content must be at least 1")]
    [InlineData("\"view_side\": 512,\n    \"crop_size\"", "\"view_side\": 128,\n    \"crop_size\"", "ranking.view_side must be at least ranking.crop_size")]
    public void An_invalid_setting_is_refused_by_its_json_path(string from, string to, string message)
    {
        string json = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "configs", "default-cnn.json"));
        Assert.Contains(from, json, StringComparison.Ordinal);
        string file = Write(json.Replace(from, to, StringComparison.Ordinal));

        var error = Assert.Throws<RecipeException>(() => RecipeConfig.Load(file));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_section_is_refused()
    {
        string file = Write("""{ "name": "x", "seed": 1, "base_models": [] }""");

        var error = Assert.Throws<RecipeException>(() => RecipeConfig.Load(file));

        Assert.Contains("pretraining", error.Message, StringComparison.Ordinal);
    }

    private string Write(string json)
    {
        string file = Path.Combine(_root, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(file, json);
        return file;
    }
}
