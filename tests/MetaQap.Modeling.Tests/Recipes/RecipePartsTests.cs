using MetaQap.Modeling.Evaluation;
using MetaQap.Modeling.Recipes;

namespace MetaQap.Modeling.Tests.Recipes;

/// <summary>The small pieces of the recipes: the content split, fold statistics, the final fit's epoch count, the run folder.</summary>
public sealed class RecipePartsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("metaqap-recipe-parts-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Content_split_holds_out_a_share_of_each_source_and_never_a_content_twice()
    {
        (int[] train, int[] heldOut) = ContentSplit.Stratified([400, 9], 0.2, seed: 7);

        Assert.Equal(80, heldOut.Count(c => c < 400));
        Assert.Equal(2, heldOut.Count(c => c >= 400));
        Assert.Equal(Enumerable.Range(0, 409), train.Concat(heldOut).Order());
        Assert.Equal(heldOut, ContentSplit.Stratified([400, 9], 0.2, seed: 7).HeldOut);
        Assert.NotEqual(heldOut, ContentSplit.Stratified([400, 9], 0.2, seed: 8).HeldOut);
    }

    [Fact]
    public void Content_split_holds_out_one_of_a_small_source_but_nothing_of_a_single_content()
    {
        (_, int[] heldOut) = ContentSplit.Stratified([3, 1], 0.1, seed: 1);

        Assert.Single(heldOut);
        Assert.True(heldOut[0] < 3);
    }

    [Fact]
    public void Mean_std_uses_the_sample_standard_deviation()
    {
        MeanStd value = MeanStd.Of([0.7, 0.8, 0.9]);

        Assert.Equal(0.8, value.Mean, 12);
        Assert.Equal(0.1, value.Std, 12);
        Assert.Equal("0.8000 ± 0.1000", value.Format());
        Assert.Equal(0, MeanStd.Of([0.5]).Std);
    }

    [Theory]
    [InlineData(new[] { 3, 0, 5 }, 4)]
    [InlineData(new[] { 1, 2 }, 3)]
    [InlineData(new[] { 0, 0, 0, 9, 9 }, 1)]
    public void Final_fit_trains_for_the_median_best_epoch_count(int[] bestEpochs, int expected)
    {
        var empty = new EvaluationMetrics(0, 0, 0, 0, 0, 0);
        FoldOutcome[] folds = [.. bestEpochs.Select((e, k) => new FoldOutcome(k, e, 0, false, e + 1, [], [], [], empty))];

        Assert.Equal(expected, FinalFit.Epochs(folds));
    }

    [Fact]
    public void Run_folder_is_resumed_with_the_same_config_and_refused_with_another()
    {
        string folder = Path.Combine(_root, "run");
        var inputs = new RunInputs { Command = "recipe biq2021", Data = "/data" };
        RecipeRunFolder.Claim(folder, RecipePresets.Biq2021, inputs);
        File.WriteAllText(Path.Combine(folder, "unit.txt"), "work");

        RecipeRunFolder.Claim(folder, RecipePresets.Biq2021, inputs);
        var config = Assert.Throws<RecipeException>(() => RecipeRunFolder.Claim(folder, RecipePresets.Biq2021 with { Seed = 1 }, inputs));
        var data = Assert.Throws<RecipeException>(() => RecipeRunFolder.Claim(folder, RecipePresets.Biq2021, inputs with { Data = "/other" }));

        Assert.Contains("different config", config.Message, StringComparison.Ordinal);
        Assert.Contains("/other", data.Message, StringComparison.Ordinal);
        Assert.Equal(RecipePresets.Biq2021.ToJson(), File.ReadAllText(Path.Combine(folder, RecipeRunFolder.ConfigFile)));
    }

    [Fact]
    public void Run_folder_refuses_a_non_empty_folder_that_is_not_a_run()
    {
        File.WriteAllText(Path.Combine(_root, "notes.txt"), "mine");

        var error = Assert.Throws<RecipeException>(() => RecipeRunFolder.Claim(_root, RecipePresets.Default, new RunInputs { Command = "recipe default" }));

        Assert.Contains("not empty", error.Message, StringComparison.Ordinal);
    }
}
