using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaQap.Modeling.Training;

/// <summary>JSON settings of training.json and checkpoints: camelCase, indented, NaN allowed (an undefined correlation).</summary>
internal static class TrainingJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
