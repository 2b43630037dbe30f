using Dapper;
using MetaQap.Contracts;
using MetaQap.Components.Registry;
using Npgsql;

namespace MetaQap.Components.Training;

/// <summary>
/// Training runs in PostgreSQL (<c>training_runs</c>, DESIGN.md §5). The table is also the run queue: a worker claims
/// a run with a lease it renews while training; a lapsed lease (a killed worker) makes the run claimable again, and
/// the next claimant resumes it from its last checkpoint. Every write by a runner checks it still owns the run.
/// </summary>
public sealed class TrainingRegistry(NpgsqlDataSource dataSource)
{
    /// <summary>Records a received command as Queued. False when the run id already existed (the command is ignored).</summary>
    public Task<bool> CreateAsync(Guid id, TrainingKind kind, string requestJson, CancellationToken cancellationToken) =>
        InsertAsync(id, kind, requestJson, TrainingRunStatus.Queued, null, null, cancellationToken);

    /// <summary>Records a command refused before training as Failed. False when the run id already existed.</summary>
    public Task<bool> CreateFailedAsync(Guid id, TrainingKind kind, string requestJson, TrainingFailureCode code, string message,
        CancellationToken cancellationToken) =>
        InsertAsync(id, kind, requestJson, TrainingRunStatus.Failed, code, message, cancellationToken);

    public async Task<TrainingRunRecord?> ClaimNextAsync(string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        RunRow? row = await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(TrainingSql.Claim,
            new { Owner = owner, Lease = lease }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>Ends runs whose cancel was asked for and whose worker is gone; returns their ids.</summary>
    public async Task<IReadOnlyList<Guid>> CancelAbandonedAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Guid>(new CommandDefinition(TrainingSql.CancelAbandoned,
            new { Message = CancelledMessage }, cancellationToken: cancellationToken))).ToList();
    }

    public async Task<LeaseState> RenewAsync(Guid id, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        bool? cancel = await connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(TrainingSql.Renew,
            new { Id = id, Owner = owner, Lease = lease }, cancellationToken: cancellationToken));
        return new LeaseState(cancel is not null, cancel == true);
    }

    public async Task ReportProgressAsync(Guid id, string owner, RunProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(TrainingSql.Progress, new
        {
            Id = id,
            Owner = owner,
            progress.Epoch,
            progress.Epochs,
            progress.Step,
            progress.StepsPerEpoch,
            Progress = Math.Clamp(progress.Progress, 0, 1),
            Loss = Finite(progress.Loss),
            ValidationSrocc = Finite(progress.ValidationSrocc),
            ValidationPlcc = Finite(progress.ValidationPlcc),
        }, cancellationToken: cancellationToken));
    }

    /// <summary>Gives the claim up at once (a graceful stop), so the run resumes without waiting for the lease.</summary>
    public async Task ReleaseAsync(Guid id, string owner, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(TrainingSql.Release, new { Id = id, Owner = owner }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Marks the run Failed (or Cancelled, for <see cref="TrainingFailureCode.Cancelled"/>). With an owner, only if
    /// that worker still holds it. False when nothing changed (already finished, or the claim was lost).
    /// </summary>
    public async Task<bool> FailAsync(Guid id, string? owner, TrainingFailureCode code, string message, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(TrainingSql.Fail, new
        {
            Id = id,
            Owner = owner,
            Status = code == TrainingFailureCode.Cancelled ? nameof(TrainingRunStatus.Cancelled) : nameof(TrainingRunStatus.Failed),
            FailureCode = code.ToString(),
            FailureMessage = message,
        }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<CancelResult> RequestCancelAsync(Guid id, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        string? before = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(TrainingSql.RequestCancel,
            new { Id = id, Message = CancelledMessage }, cancellationToken: cancellationToken));
        return before switch
        {
            null => CancelResult.NotFound,
            nameof(TrainingRunStatus.Queued) => CancelResult.CancelledQueued,
            nameof(TrainingRunStatus.Running) => CancelResult.Requested,
            _ => CancelResult.AlreadyFinished,
        };
    }

    /// <summary>Finished runs whose outcome event has not gone out (a crash between storing and publishing).</summary>
    public async Task<IReadOnlyList<TrainingRunRecord>> UnpublishedOutcomesAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        IEnumerable<RunRow> rows = await connection.QueryAsync<RunRow>(new CommandDefinition(TrainingSql.Unpublished, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task MarkOutcomePublishedAsync(Guid id, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(TrainingSql.MarkPublished, new { Id = id }, cancellationToken: cancellationToken));
    }

    public async Task<TrainingRunRecord?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        RunRow? row = await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(TrainingSql.GetRun, new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>The newest runs first.</summary>
    public async Task<IReadOnlyList<TrainingRunRecord>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        IEnumerable<RunRow> rows = await connection.QueryAsync<RunRow>(new CommandDefinition(TrainingSql.ListRuns, new { Limit = limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>Runs per status, every status present (zero included), for the <c>metaqap_training_runs</c> gauge.</summary>
    public async Task<IReadOnlyDictionary<TrainingRunStatus, int>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var counts = Enum.GetValues<TrainingRunStatus>().ToDictionary(s => s, _ => 0);
        foreach ((string status, int count) in await connection.QueryAsync<(string, int)>(new CommandDefinition(TrainingSql.CountByStatus, cancellationToken: cancellationToken)))
        {
            counts[Enum.Parse<TrainingRunStatus>(status)] = count;
        }

        return counts;
    }

    internal const string CancelledMessage = "Cancelled by CancelTrainingRun.";

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    private async Task<bool> InsertAsync(Guid id, TrainingKind kind, string requestJson, TrainingRunStatus status,
        TrainingFailureCode? code, string? message, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(TrainingSql.InsertRun, new
        {
            Id = id,
            Kind = kind.ToString(),
            Request = requestJson,
            Status = status.ToString(),
            FailureCode = code?.ToString(),
            FailureMessage = message,
        }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Registers a base model and completes its run. False (nothing written) if <paramref name="owner"/> lost the run.</summary>
    public Task<bool> CompleteWithArtifactAsync(string owner, ModelArtifactRecord artifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        return CompleteWithAsync(owner, artifact.Id, artifact.Metrics, RegistrySql.InsertArtifact, new
        {
            artifact.Id,
            artifact.Kind,
            artifact.Architecture,
            artifact.InputSize,
            artifact.Path,
            artifact.Sha256,
            Metrics = RegistryRows.Json(artifact.Metrics),
            artifact.Provenance,
        }, cancellationToken);
    }

    /// <summary>Registers an ensemble (inactive) and completes its run. False (nothing written) if <paramref name="owner"/> lost the run.</summary>
    public Task<bool> CompleteWithEnsembleAsync(string owner, EnsembleRecord ensemble, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        return CompleteWithAsync(owner, ensemble.Id, ensemble.Metrics, RegistrySql.InsertEnsemble, new
        {
            ensemble.Id,
            ensemble.RunId,
            ensemble.Version,
            ensemble.Path,
            ensemble.ManifestSha256,
            BaseModels = ensemble.BaseModels.ToArray(),
            ensemble.Method,
            Metrics = RegistryRows.Json(ensemble.Metrics),
        }, cancellationToken);
    }

    /// <summary>
    /// In one transaction: completes run <paramref name="id"/> if <paramref name="owner"/> still holds it, then
    /// inserts its artifact row (<paramref name="sql"/>, a <see cref="RegistrySql"/> constant); nothing is written when the run was lost.
    /// </summary>
    private async Task<bool> CompleteWithAsync(string owner, Guid id, IReadOnlyDictionary<string, double> metrics, string sql,
        object insertParameters, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        int completed = await connection.ExecuteAsync(new CommandDefinition(TrainingSql.Complete,
            new { Id = id, Owner = owner, Metrics = RegistryRows.Json(metrics) }, transaction, cancellationToken: cancellationToken));
        if (completed != 1)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(sql, insertParameters, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
