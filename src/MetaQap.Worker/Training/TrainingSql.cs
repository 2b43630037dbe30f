namespace MetaQap.Worker.Training;

/// <summary>The SQL of <see cref="TrainingRegistry"/> and <see cref="ModelRegistry"/>; values are always parameters.</summary>
internal static class TrainingSql
{
    public const string RunColumns = """
        id AS Id, kind AS Kind, status AS Status, request::text AS Request, cancel_requested AS CancelRequested,
        owner AS Owner, attempts AS Attempts, epoch AS Epoch, epochs AS Epochs, step AS Step,
        steps_per_epoch AS StepsPerEpoch, progress AS Progress, loss AS Loss, validation_srocc AS ValidationSrocc,
        validation_plcc AS ValidationPlcc, metrics::text AS Metrics, failure_code AS FailureCode,
        failure_message AS FailureMessage, created_at AS CreatedAt, started_at AS StartedAt, updated_at AS UpdatedAt,
        finished_at AS FinishedAt
        """;

    public const string InsertRun = """
        INSERT INTO training_runs (id, kind, request, status, failure_code, failure_message, finished_at)
        VALUES (@Id, @Kind, @Request::jsonb, @Status, @FailureCode, @FailureMessage,
                CASE WHEN @Status = 'Queued' THEN NULL ELSE now() END)
        ON CONFLICT (id) DO NOTHING
        """;

    // The oldest queued run, or a running one whose claim lapsed (its worker died). SKIP LOCKED: two workers
    // claiming at once take different runs.
    public const string Claim = """
        UPDATE training_runs
        SET status = 'Running', owner = @Owner, lease_expires_at = now() + @Lease, attempts = attempts + 1,
            started_at = coalesce(started_at, now()), updated_at = now()
        WHERE id = (SELECT id FROM training_runs
                    WHERE NOT cancel_requested
                      AND (status = 'Queued' OR (status = 'Running' AND lease_expires_at < now()))
                    ORDER BY created_at
                    FOR UPDATE SKIP LOCKED
                    LIMIT 1)
        RETURNING
        """ + " " + RunColumns;

    // A running run whose worker died after a cancel was asked for: nobody will stop it, so end it here.
    public const string CancelAbandoned = """
        UPDATE training_runs
        SET status = 'Cancelled', failure_code = 'Cancelled', failure_message = @Message, owner = NULL,
            lease_expires_at = NULL, finished_at = now(), updated_at = now()
        WHERE status = 'Running' AND cancel_requested AND lease_expires_at < now()
        RETURNING id
        """;

    public const string Renew = """
        UPDATE training_runs SET lease_expires_at = now() + @Lease, updated_at = now()
        WHERE id = @Id AND owner = @Owner AND status = 'Running'
        RETURNING cancel_requested
        """;

    public const string Progress = """
        UPDATE training_runs
        SET epoch = @Epoch, epochs = @Epochs, step = @Step, steps_per_epoch = @StepsPerEpoch, progress = @Progress,
            loss = @Loss, validation_srocc = coalesce(@ValidationSrocc, validation_srocc),
            validation_plcc = coalesce(@ValidationPlcc, validation_plcc), updated_at = now()
        WHERE id = @Id AND owner = @Owner AND status = 'Running'
        """;

    public const string Release = """
        UPDATE training_runs SET lease_expires_at = now(), updated_at = now()
        WHERE id = @Id AND owner = @Owner AND status = 'Running'
        """;

    public const string Complete = """
        UPDATE training_runs
        SET status = 'Completed', progress = 1, metrics = @Metrics::jsonb, owner = NULL, lease_expires_at = NULL,
            finished_at = now(), updated_at = now()
        WHERE id = @Id AND owner = @Owner AND status = 'Running'
        """;

    public const string Fail = """
        UPDATE training_runs
        SET status = @Status, failure_code = @FailureCode, failure_message = @FailureMessage, owner = NULL,
            lease_expires_at = NULL, finished_at = now(), updated_at = now()
        WHERE id = @Id AND status IN ('Queued', 'Running') AND (@Owner::text IS NULL OR owner = @Owner)
        """;

    public const string RequestCancel = """
        WITH target AS (SELECT id, status FROM training_runs WHERE id = @Id FOR UPDATE),
        queued AS (
            UPDATE training_runs r
            SET status = 'Cancelled', failure_code = 'Cancelled', failure_message = @Message, finished_at = now(),
                updated_at = now(), cancel_requested = true
            FROM target t WHERE r.id = t.id AND t.status = 'Queued'
            RETURNING r.id),
        running AS (
            UPDATE training_runs r SET cancel_requested = true, updated_at = now()
            FROM target t WHERE r.id = t.id AND t.status = 'Running'
            RETURNING r.id)
        SELECT t.status FROM target t
        """;

    public const string Unpublished = "SELECT " + RunColumns + """
         FROM training_runs
        WHERE status IN ('Completed', 'Failed', 'Cancelled') AND outcome_published_at IS NULL
        ORDER BY finished_at LIMIT 100
        """;

    public const string MarkPublished = "UPDATE training_runs SET outcome_published_at = now() WHERE id = @Id";

    public const string GetRun = "SELECT " + RunColumns + " FROM training_runs WHERE id = @Id";

    public const string ListRuns = "SELECT " + RunColumns + " FROM training_runs ORDER BY created_at DESC LIMIT @Limit";

    public const string CountByStatus = "SELECT status AS Status, count(*)::int AS Count FROM training_runs GROUP BY status";

    public const string ArtifactColumns = """
        id AS Id, kind AS Kind, architecture AS Architecture, input_size AS InputSize, path AS Path, sha256 AS Sha256,
        metrics::text AS Metrics, provenance::text AS Provenance, created_at AS CreatedAt
        """;

    public const string InsertArtifact = """
        INSERT INTO model_artifacts (id, kind, architecture, input_size, path, sha256, metrics, provenance)
        VALUES (@Id, @Kind, @Architecture, @InputSize, @Path, @Sha256, @Metrics::jsonb, @Provenance::jsonb)
        ON CONFLICT (id) DO NOTHING
        """;

    public const string GetArtifact = "SELECT " + ArtifactColumns + " FROM model_artifacts WHERE id = @Id";

    public const string ListArtifacts = "SELECT " + ArtifactColumns + " FROM model_artifacts ORDER BY created_at DESC LIMIT @Limit";

    public const string EnsembleColumns = """
        id AS Id, run_id AS RunId, version AS Version, path AS Path, manifest_sha256 AS ManifestSha256,
        base_models AS BaseModels, method AS Method, metrics::text AS Metrics, created_at AS CreatedAt, active AS Active,
        promoted_at AS PromotedAt
        """;

    public const string InsertEnsemble = """
        INSERT INTO ensembles (id, run_id, version, path, manifest_sha256, base_models, method, metrics)
        VALUES (@Id, @RunId, @Version, @Path, @ManifestSha256, @BaseModels, @Method, @Metrics::jsonb)
        ON CONFLICT (id) DO NOTHING
        """;

    public const string GetEnsembleForUpdate = "SELECT " + EnsembleColumns + " FROM ensembles WHERE id = @Id FOR UPDATE";

    public const string GetEnsemble = "SELECT " + EnsembleColumns + " FROM ensembles WHERE id = @Id";

    public const string GetActiveEnsemble = "SELECT " + EnsembleColumns + " FROM ensembles WHERE active";

    public const string VersionTaken = "SELECT count(*)::int FROM ensembles WHERE version = @Version AND id <> @Id";

    public const string ListEnsembles = "SELECT " + EnsembleColumns + " FROM ensembles ORDER BY created_at DESC LIMIT @Limit";

    // Clearing first: the unique partial index allows one active row at any moment inside the transaction too.
    public const string Deactivate = "UPDATE ensembles SET active = false WHERE active AND id <> @Id RETURNING id";

    public const string Activate = "UPDATE ensembles SET active = true, promoted_at = now() WHERE id = @Id AND NOT active";
}
