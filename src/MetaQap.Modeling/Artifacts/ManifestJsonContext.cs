using System.Text.Json.Serialization;

namespace MetaQap.Modeling.Artifacts;

/// <summary>
/// Source-generated JSON for the manifest: snake_case keys, indented output, and strict reading (unknown fields,
/// missing required fields and nulls in non-nullable fields are errors, so a typo cannot silently drop a setting).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EnsembleManifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
