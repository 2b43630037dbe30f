using System.Text.Json.Nodes;

namespace MetaQap.Contracts.Tests;

/// <summary>The schemas and examples under docs/contracts, as copied next to the test assembly.</summary>
internal static class ContractDocuments
{
    /// <summary>Each contract's file stem and record type.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Messages = new Dictionary<string, Type>
    {
        ["score-images"] = typeof(ScoreImages),
        ["image-scored"] = typeof(ImageScored),
        ["image-scoring-failed"] = typeof(ImageScoringFailed),
        ["scoring-job-completed"] = typeof(ScoringJobCompleted),
    };

    public static TheoryData<string> Names() => new(Messages.Keys);

    public static JsonObject Schema(string name) => Load(Path.Combine("contracts", $"{name}.schema.json")).AsObject();

    public static JsonNode Example(string name) => Load(Path.Combine("contracts", "examples", $"{name}.json"));

    public static string ExampleText(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "contracts", "examples", $"{name}.json"));

    private static JsonNode Load(string relative) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, relative)))
        ?? throw new InvalidDataException($"{relative} is empty.");
}
