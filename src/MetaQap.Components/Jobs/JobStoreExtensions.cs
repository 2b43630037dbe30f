using Microsoft.Extensions.Options;
using Npgsql;

namespace MetaQap.Components.Jobs;

public static class JobStoreExtensions
{
    /// <summary>
    /// PostgreSQL job store: options (validated on start), the data source, migrations before anything else
    /// starts, and a /healthz check.
    /// </summary>
    public static IHostApplicationBuilder AddMetaQapJobStore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => IsParsable(o.ConnectionString), $"{DatabaseOptions.SectionName}:ConnectionString is not a valid Npgsql connection string.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp =>
            new NpgsqlDataSourceBuilder(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString).Build());
        builder.Services.AddSingleton<JobStore>();
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgresql", tags: ["ready"]);
        return builder;
    }

    private static bool IsParsable(string connectionString)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
