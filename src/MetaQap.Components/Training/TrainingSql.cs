namespace MetaQap.Components.Training;

/// <summary>The SQL of <see cref="TrainingRegistry"/>; values are always parameters.</summary>
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
}
