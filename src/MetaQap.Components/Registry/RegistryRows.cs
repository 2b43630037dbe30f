using System.Text.Json;
using MetaQap.Contracts;

namespace MetaQap.Components.Registry;

/// <summary>The rows Dapper reads from the registry tables, turned into the public records.</summary>
internal static class RegistryRows
{
    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static IReadOnlyDictionary<string, double> Metrics(string? json) =>
        string.IsNullOrEmpty(json) ? new Dictionary<string, double>() : JsonSerializer.Deserialize<Dictionary<string, double>>(json) ?? [];

    public static string Json(IReadOnlyDictionary<string, double> metrics) =>
        JsonSerializer.Serialize(metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value));
}

internal sealed class ArtifactRow
{
    public Guid Id { get; init; }

    public string Kind { get; init; } = "";

    public string Architecture { get; init; } = "";

    public int InputSize { get; init; }

    public string Path { get; init; } = "";

    public string Sha256 { get; init; } = "";

    public string? Metrics { get; init; }

    public string Provenance { get; init; } = "{}";

    public DateTime CreatedAt { get; init; }

    public ModelArtifactRecord ToRecord() => new()
    {
        Id = Id,
        Kind = Kind,
        Architecture = Architecture,
        InputSize = InputSize,
        Path = Path,
        Sha256 = Sha256,
        Metrics = RegistryRows.Metrics(Metrics),
        Provenance = Provenance,
        CreatedAt = RegistryRows.Utc(CreatedAt),
    };
}

internal sealed class EnsembleRow
{
    public Guid Id { get; init; }

    public Guid? RunId { get; init; }

    public string Version { get; init; } = "";

    public string Path { get; init; } = "";

    public string ManifestSha256 { get; init; } = "";

    public Guid[] BaseModels { get; init; } = [];

    public string Method { get; init; } = "";

    public string? Metrics { get; init; }

    public DateTime CreatedAt { get; init; }

    public bool Active { get; init; }

    public DateTime? PromotedAt { get; init; }

    public EnsembleRecord ToRecord() => new()
    {
        Id = Id,
        RunId = RunId,
        Version = Version,
        Path = Path,
        ManifestSha256 = ManifestSha256,
        BaseModels = BaseModels,
        Method = Method,
        Metrics = RegistryRows.Metrics(Metrics),
        CreatedAt = RegistryRows.Utc(CreatedAt),
        Active = Active,
        PromotedAt = PromotedAt is { } p ? RegistryRows.Utc(p) : null,
    };
}
