using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MetaQap.Contracts.Tests;

public sealed class ContractSchemaTests
{
    // MassTransit's System.Text.Json settings are camelCase and case-insensitive, as the web defaults are.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Theory]
    [MemberData(nameof(ContractDocuments.Names), MemberType = typeof(ContractDocuments))]
    public void Every_example_conforms_to_its_schema(string name)
    {
        IReadOnlyList<string> errors = JsonSchemaChecker.Check(ContractDocuments.Example(name), ContractDocuments.Schema(name));

        Assert.Empty(errors);
    }

    [Theory]
    [MemberData(nameof(ContractDocuments.Names), MemberType = typeof(ContractDocuments))]
    public void Every_example_round_trips_through_its_record_unchanged(string name)
    {
        Type type = ContractDocuments.Messages[name];

        object message = JsonSerializer.Deserialize(ContractDocuments.ExampleText(name), type, Json)!;
        JsonNode? written = JsonSerializer.SerializeToNode(message, type, Json);

        Assert.True(JsonNode.DeepEquals(ContractDocuments.Example(name), written),
            $"The record writes {written!.ToJsonString()}");
    }

    [Theory]
    [MemberData(nameof(ContractDocuments.Names), MemberType = typeof(ContractDocuments))]
    public void Schema_properties_and_required_fields_match_the_record(string name)
    {
        JsonObject schema = ContractDocuments.Schema(name);

        AssertMatches(schema, ContractDocuments.Messages[name]);
    }

    [Fact]
    public void Nested_schemas_match_their_records()
    {
        AssertMatches(ContractDocuments.Schema("score-images")["$defs"]!["imageReference"]!.AsObject(), typeof(ImageReference));
        AssertMatches(ContractDocuments.Schema("image-scored")["properties"]!["distortions"]!["items"]!.AsObject(), typeof(DistortionLikelihood));
        AssertMatches(ContractDocuments.Schema("scoring-job-completed")["properties"]!["scores"]!.AsObject(), typeof(ScoreDistribution));
    }

    [Fact]
    public void The_schema_lists_exactly_the_failure_codes()
    {
        JsonArray codes = ContractDocuments.Schema("image-scoring-failed")["properties"]!["code"]!["enum"]!.AsArray();

        Assert.Equal(Enum.GetNames<FailureCode>(), codes.Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public void Failure_codes_are_written_as_names_whatever_the_serializer_options()
    {
        Assert.Equal("\"AccessDenied\"", JsonSerializer.Serialize(FailureCode.AccessDenied));
        Assert.Equal(FailureCode.TooLarge, JsonSerializer.Deserialize<FailureCode>("\"TooLarge\""));
    }

    [Fact]
    public void A_message_without_a_required_field_is_rejected_by_schema_and_record()
    {
        JsonObject example = ContractDocuments.Example("score-images").AsObject();
        example.Remove("jobId");

        Assert.Contains(JsonSchemaChecker.Check(example, ContractDocuments.Schema("score-images")), e => e.Contains("jobId", StringComparison.Ordinal));
        Assert.Throws<JsonException>(() => example.Deserialize<ScoreImages>(Json));
    }

    [Fact]
    public void An_unknown_failure_code_is_rejected_by_the_schema()
    {
        JsonObject example = ContractDocuments.Example("image-scoring-failed").AsObject();
        example["code"] = "Exploded";

        Assert.NotEmpty(JsonSchemaChecker.Check(example, ContractDocuments.Schema("image-scoring-failed")));
    }

    private static void AssertMatches(JsonObject schema, Type type)
    {
        PropertyInfo[] properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        string[] expected = properties.Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Order(StringComparer.Ordinal).ToArray();
        string[] required = properties.Where(p => p.IsDefined(typeof(RequiredMemberAttribute)))
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(expected, schema["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(required, (schema["required"]?.AsArray() ?? []).Select(r => r!.GetValue<string>()).Order(StringComparer.Ordinal));
    }
}
