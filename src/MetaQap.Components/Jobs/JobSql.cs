namespace MetaQap.Components.Jobs;

/// <summary>The job store's statements. Arrays (unnest) carry a whole message or batch in one round trip.</summary>
internal static class JobSql
{
    // Later messages of a multi-message job may raise the expected count (TotalImages) but never lower it.
    public const string UpsertJob = """
        INSERT INTO scoring_jobs (id, expected_images, requested_model_version, tags, created_at)
        VALUES (@JobId, @ExpectedImages, @RequestedModelVersion, @Tags::jsonb, @EnqueuedAt)
        ON CONFLICT (id) DO UPDATE SET expected_images = GREATEST(scoring_jobs.expected_images, EXCLUDED.expected_images)
            WHERE scoring_jobs.status = 'Running'
        RETURNING status
        """;

    // Images of a completed job are not added: its summary is final.
    public const string InsertImages = """
        INSERT INTO image_results (job_id, image_id, source, status, failure_code, failure_detail, enqueued_at, finished_at)
        SELECT @JobId, v.image_id, v.source, CASE WHEN v.failure_code IS NULL THEN 'Pending' ELSE 'Failed' END,
               v.failure_code, v.failure_detail, @EnqueuedAt, CASE WHEN v.failure_code IS NULL THEN NULL ELSE now() END
        FROM unnest(@ImageIds::text[], @Sources::text[], @FailureCodes::text[], @FailureDetails::text[])
             AS v(image_id, source, failure_code, failure_detail)
        WHERE EXISTS (SELECT 1 FROM scoring_jobs WHERE id = @JobId AND status = 'Running')
        ON CONFLICT (job_id, image_id) DO NOTHING
        RETURNING image_id
        """;

    public const string SelectPending = """
        SELECT image_id FROM image_results
        WHERE job_id = @JobId AND image_id = ANY(@ImageIds::text[]) AND status = 'Pending'
        """;

    // Only Pending rows change, so a redelivered batch or a duplicate work item writes nothing and publishes nothing.
    // In the same statement (one round trip), the outcomes of the @Resumed* images that an earlier attempt stored but
    // did not mark as published: the SELECT reads the statement's snapshot, taken before the UPDATE, in which the rows
    // this UPDATE changes are still Pending, so nothing comes back twice.
    public const string SaveResults = """
        WITH saved AS (
            UPDATE image_results r
            SET status = CASE WHEN v.failure_code IS NULL THEN 'Scored' ELSE 'Failed' END,
                score = v.score, base_scores = v.base_scores::jsonb, uncertainty = v.uncertainty,
                distortions = v.distortions::jsonb, model_version = v.model_version,
                failure_code = v.failure_code, failure_detail = v.failure_detail, finished_at = now()
            FROM unnest(@JobIds::uuid[], @ImageIds::text[], @Scores::float8[], @BaseScores::text[], @Uncertainties::float8[],
                        @Distortions::text[], @ModelVersions::text[], @FailureCodes::text[], @FailureDetails::text[])
                 AS v(job_id, image_id, score, base_scores, uncertainty, distortions, model_version, failure_code, failure_detail)
            WHERE r.job_id = v.job_id AND r.image_id = v.image_id AND r.status = 'Pending'
            RETURNING r.job_id, r.image_id, r.enqueued_at, r.finished_at
        )
        SELECT true AS Saved, s.job_id AS JobId, s.image_id AS ImageId, '' AS Status, NULL::float8 AS Score,
               NULL::text AS BaseScores, NULL::float8 AS Uncertainty, NULL::text AS Distortions, NULL::text AS ModelVersion,
               NULL::text AS FailureCode, NULL::text AS FailureDetail, s.enqueued_at AS EnqueuedAt, s.finished_at AS FinishedAt
        FROM saved s
        UNION ALL
        SELECT false, r.job_id, r.image_id, r.status, r.score, r.base_scores::text, r.uncertainty, r.distortions::text,
               r.model_version, r.failure_code, r.failure_detail, r.enqueued_at, r.finished_at
        FROM image_results r
        JOIN unnest(@ResumedJobIds::uuid[], @ResumedImageIds::text[]) AS u(job_id, image_id)
             ON r.job_id = u.job_id AND r.image_id = u.image_id
        WHERE r.status <> 'Pending' AND r.published_at IS NULL
        """;

    // Exactly once: the UPDATE flips Running -> Completed, and a concurrent second attempt re-checks
    // status = 'Running' on the locked row and finds nothing. Run it after the results' transaction committed, so
    // whichever batch finishes last sees every result.
    // It runs after every batch, so its cost must not grow with the job: "idle" (no Pending row left, one probe of
    // the partial index) is MATERIALIZED so that the count of a job's rows, which reads all of them, runs only once
    // nothing is pending. Inlined, the planner counted first: 35 ms per batch at 100,000 images (docs/performance.md).
    public const string CompleteJobs = """
        WITH idle AS MATERIALIZED (
            SELECT j.id, j.expected_images FROM scoring_jobs j
            WHERE j.id = ANY(@JobIds::uuid[]) AND j.status = 'Running'
              AND NOT EXISTS (SELECT 1 FROM image_results r WHERE r.job_id = j.id AND r.status = 'Pending')
        ), ready AS (
            SELECT i.id FROM idle i
            WHERE (SELECT count(*) FROM image_results r WHERE r.job_id = i.id) >= i.expected_images
        ), counts AS (
            SELECT ready.id,
                   count(r.image_id) FILTER (WHERE r.status = 'Scored') AS scored,
                   count(r.image_id) FILTER (WHERE r.status = 'Failed') AS failed,
                   -- A promotion mid-job means two versions: the summary names the one that scored last.
                   (array_agg(r.model_version ORDER BY r.finished_at DESC) FILTER (WHERE r.status = 'Scored'))[1] AS model_version
            FROM ready LEFT JOIN image_results r ON r.job_id = ready.id
            GROUP BY ready.id
        ), done AS (
            UPDATE scoring_jobs j
            SET status = 'Completed', completed_at = now(), scored_images = c.scored, failed_images = c.failed,
                model_version = c.model_version
            FROM counts c
            WHERE j.id = c.id AND j.status = 'Running'
            RETURNING j.id, j.scored_images, j.failed_images, j.model_version, j.tags, j.created_at, j.completed_at
        )
        """ + CompletionSummary;

    // Completed jobs whose ScoringJobCompleted may not have gone out (the worker stopped between the two).
    public const string SelectUnpublishedCompletions = """
        WITH done AS (
            SELECT id, scored_images, failed_images, model_version, tags, created_at, completed_at FROM scoring_jobs
            WHERE id = ANY(@JobIds::uuid[]) AND status = 'Completed' AND completion_published_at IS NULL
        )
        """ + CompletionSummary;

    public const string MarkCompletionsPublished = """
        UPDATE scoring_jobs SET completion_published_at = now()
        WHERE id = ANY(@JobIds::uuid[]) AND completion_published_at IS NULL
        """;

    // The summary of the jobs in a CTE named "done" (one row each), as ScoringJobCompleted needs it.
    private const string CompletionSummary = """
        SELECT d.id AS JobId, d.scored_images AS ScoredImages, d.failed_images AS FailedImages,
               d.model_version AS ModelVersion, d.tags::text AS Tags, d.created_at AS CreatedAt,
               d.completed_at AS CompletedAt, s.mean AS Mean, s.min AS Min, s.max AS Max, s.percentiles AS Percentiles,
               (SELECT jsonb_object_agg(f.failure_code, f.n)::text
                FROM (SELECT failure_code, count(*) AS n FROM image_results
                      WHERE job_id = d.id AND status = 'Failed' GROUP BY failure_code) f) AS FailuresByCode
        FROM done d
        LEFT JOIN LATERAL (
            SELECT avg(score) AS mean, min(score) AS min, max(score) AS max,
                   percentile_cont(ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY score) AS percentiles
            FROM image_results WHERE job_id = d.id AND status = 'Scored'
        ) s ON true
        """;

    // After the outcome events went out, one round trip: mark them as published, then complete whichever of @JobIds
    // are finished (CompleteJobs' rows are the command's result). Npgsql sends the statements as one batch.
    public const string MarkPublishedAndCompleteJobs = MarkOutcomesPublished + ";\n" + CompleteJobs;

    // The same, after a redelivery or a retry: also the completed jobs whose completion event may not have gone out
    // (a second result; a job completed by the first statement is in both, and is published once).
    public const string MarkPublishedCompleteJobsAndFindUnpublished = MarkPublishedAndCompleteJobs + ";\n" + SelectUnpublishedCompletions;

    private const string MarkOutcomesPublished = """
        UPDATE image_results r SET published_at = now()
        FROM unnest(@OutcomeJobIds::uuid[], @OutcomeImageIds::text[]) AS v(job_id, image_id)
        WHERE r.job_id = v.job_id AND r.image_id = v.image_id AND r.published_at IS NULL
        """;

    public const string SelectJob = """
        SELECT j.id AS Id, j.status AS Status, j.expected_images AS ExpectedImages,
               count(r.image_id)::int AS RecordedImages,
               (count(r.image_id) FILTER (WHERE r.status = 'Pending'))::int AS PendingImages,
               (count(r.image_id) FILTER (WHERE r.status = 'Scored'))::int AS ScoredImages,
               (count(r.image_id) FILTER (WHERE r.status = 'Failed'))::int AS FailedImages,
               coalesce(j.model_version,
                        (array_agg(r.model_version ORDER BY r.finished_at DESC) FILTER (WHERE r.status = 'Scored'))[1]) AS ModelVersion,
               j.created_at AS CreatedAt, j.completed_at AS CompletedAt
        FROM scoring_jobs j LEFT JOIN image_results r ON r.job_id = j.id
        WHERE j.id = @JobId
        GROUP BY j.id
        """;

    // Images still Pending long after they were recorded: their work items were lost (an error queue after the
    // retries). Oldest first, a bounded number per sweep.
    public const string SelectStalePending = """
        SELECT r.job_id AS JobId, r.image_id AS ImageId, j.tags::text AS Tags
        FROM image_results r JOIN scoring_jobs j ON j.id = r.job_id
        WHERE r.status = 'Pending' AND r.enqueued_at < now() - @OlderThan
        ORDER BY r.enqueued_at
        LIMIT @Limit
        """;

    public const string SelectResults = """
        SELECT image_id AS ImageId, source AS Source, status AS Status, score AS Score, uncertainty AS Uncertainty,
               model_version AS ModelVersion, failure_code AS FailureCode, failure_detail AS FailureDetail
        FROM image_results WHERE job_id = @JobId ORDER BY image_id
        """;
}
