using Dapper;
using Npgsql;

namespace MetaQap.Components.Registry;

/// <summary>What <see cref="ModelRegistry.PromoteAsync"/> did.</summary>
/// <param name="Ensemble">The ensemble; null when the id is unknown.</param>
/// <param name="Changed">False when it was already the active one.</param>
/// <param name="PreviousId">The ensemble that was active before; null when none was.</param>
public sealed record PromotionResult(EnsembleRecord? Ensemble, bool Changed, Guid? PreviousId);

/// <summary>
/// Base-model artifacts and ensembles in PostgreSQL (<c>model_artifacts</c>, <c>ensembles</c>). An artifact is
/// registered in the same transaction that completes its run, and only by the worker that still owns the run, so a
/// run taken over by another worker, or cancelled, never registers a half-written artifact.
/// </summary>
public sealed class ModelRegistry(NpgsqlDataSource dataSource)
{
    /// <summary>True when another ensemble already reports <paramref name="version"/>.</summary>
    public async Task<bool> IsVersionTakenAsync(string version, Guid id, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(RegistrySql.VersionTaken,
            new { Version = version, Id = id }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<ModelArtifactRecord?> GetArtifactAsync(Guid id, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        ArtifactRow? row = await connection.QuerySingleOrDefaultAsync<ArtifactRow>(new CommandDefinition(RegistrySql.GetArtifact,
            new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>The newest first.</summary>
    public async Task<IReadOnlyList<ModelArtifactRecord>> ListArtifactsAsync(int limit, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        IEnumerable<ArtifactRow> rows = await connection.QueryAsync<ArtifactRow>(new CommandDefinition(RegistrySql.ListArtifacts,
            new { Limit = limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<EnsembleRecord?> GetEnsembleAsync(Guid id, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        EnsembleRow? row = await connection.QuerySingleOrDefaultAsync<EnsembleRow>(new CommandDefinition(RegistrySql.GetEnsemble,
            new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<EnsembleRecord?> GetActiveEnsembleAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        EnsembleRow? row = await connection.QuerySingleOrDefaultAsync<EnsembleRow>(new CommandDefinition(RegistrySql.GetActiveEnsemble,
            cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>The newest first.</summary>
    public async Task<IReadOnlyList<EnsembleRecord>> ListEnsemblesAsync(int limit, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        IEnumerable<EnsembleRow> rows = await connection.QueryAsync<EnsembleRow>(new CommandDefinition(RegistrySql.ListEnsembles,
            new { Limit = limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>Makes the ensemble the only active one, in one transaction.</summary>
    public async Task<PromotionResult> PromoteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        EnsembleRow? row = await connection.QuerySingleOrDefaultAsync<EnsembleRow>(new CommandDefinition(
            RegistrySql.GetEnsembleForUpdate, new { Id = id }, transaction, cancellationToken: cancellationToken));
        if (row is null)
        {
            return new PromotionResult(null, false, null);
        }

        Guid? previous = (await connection.QueryAsync<Guid>(new CommandDefinition(RegistrySql.Deactivate, new { Id = id },
            transaction, cancellationToken: cancellationToken))).Cast<Guid?>().FirstOrDefault();
        int changed = await connection.ExecuteAsync(new CommandDefinition(RegistrySql.Activate, new { Id = id }, transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        EnsembleRecord ensemble = row.ToRecord() with { Active = true };
        return new PromotionResult(ensemble, changed == 1, row.Active ? null : previous);
    }
}
