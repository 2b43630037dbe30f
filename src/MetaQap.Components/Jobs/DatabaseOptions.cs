using System.ComponentModel.DataAnnotations;

namespace MetaQap.Components.Jobs;

/// <summary>The job store's PostgreSQL database.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "MetaQap:Database";

    /// <summary>An Npgsql connection string; the role needs to create tables on first start (migrations).</summary>
    [Required]
    public string ConnectionString { get; set; } = "";
}
