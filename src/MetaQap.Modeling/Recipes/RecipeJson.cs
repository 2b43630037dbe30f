using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// JSON of recipe configs and of the work folders' result files: snake_case, indented, unknown keys refused (a
/// typo in a config must not silently fall back to a default), comments and trailing commas accepted in what
/// people edit, NaN allowed (an undefined correlation of a tiny fold).
/// </summary>
internal static class RecipeJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        RespectNullableAnnotations = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options) + "\n";

    public static T Deserialize<T>(string json, string source) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"{source} holds JSON null.");

    /// <summary>Writes <paramref name="value"/> as a file atomically (temporary file in the same folder, then renamed).</summary>
    public static void Write<T>(string path, T value)
    {
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, Serialize(value));
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public static T Read<T>(string path) => Deserialize<T>(File.ReadAllText(path), path);
}
