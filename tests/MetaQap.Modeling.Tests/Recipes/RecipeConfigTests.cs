using MetaQap.Modeling.Recipes;

namespace MetaQap.Modeling.Tests.Recipes;

public sealed class RecipeConfigTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("metaqap-recipe-config-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Default_preset_has_the_three_cpu_base_models_and_the_pretraining_schedule_of_the_issue()
    {
        RecipeConfig preset = RecipePresets.Default;

        preset.Validate();
        Assert.Equal(
            ["r10a:resnet10_w32@160 seed 1", "mnv3:mobilenet_v3_small@160 seed 2", "r10b:resnet10_w32@224 seed 3"],
            preset.BaseModels.Select(m => $"{m.Name}:{m.Architecture}@{m.InputSize} seed {m.Seed}"));
        Assert.Equal((6, 150, 32, 3e-4), (preset.Pretraining.Epochs, preset.Pretraining.StepsPerEpoch, preset.Pretraining.BatchSize, preset.Pretraining.LearningRate));
    }

    [Fact]
    public void Biq2021_preset_pretrains_exactly_like_the_default_so_its_ensemble_can_stand_in()
    {
        Assert.Equal(RecipePresets.Default with { Name = RecipePresets.Biq2021Name }, RecipePresets.Biq2021);
        Assert.Equal(RecipePresets.Default.ToJson().Replace("\"default\"", "\"biq2021\"", StringComparison.Ordinal), RecipePresets.Biq2021.ToJson());
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
    public void An_invalid_setting_is_refused_by_its_json_path(string from, string to, string message)
    {
        string json = RecipePresets.Default.ToJson();
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
