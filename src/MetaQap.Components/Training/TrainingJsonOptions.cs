using System.Text.Json;

namespace MetaQap.Components.Training;

/// <summary>JSON settings for what the training role stores: requests and provenance, camelCase like the messages.</summary>
internal static class TrainingJsonOptions
{
    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);
}
