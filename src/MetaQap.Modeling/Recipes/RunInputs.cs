namespace MetaQap.Modeling.Recipes;

/// <summary>
/// What a run reads besides its config (full paths), written to <c>inputs.json</c>: completed work units are
/// reused only by a run of the same command on the same inputs.
/// </summary>
internal sealed record RunInputs
{
    /// <summary>"recipe default", "recipe biq2021" or "ablate".</summary>
    public required string Command { get; init; }

    public string? Data { get; init; }

    public string? Photos { get; init; }

    public IReadOnlyList<string> Exclude { get; init; } = [];

    public string? Pretrained { get; init; }

    public string? RecipeRun { get; init; }
}
