-- Scoring jobs and their per-image results (DESIGN.md §5). Applied once by DbUp (schemaversions table).

CREATE TABLE scoring_jobs (
    id                      uuid        PRIMARY KEY,
    status                  text        NOT NULL DEFAULT 'Running' CHECK (status IN ('Running', 'Completed')),
    -- The job completes when this many distinct images have a result (ScoreImages.TotalImages, or the image count
    -- of a single-message job).
    expected_images         integer     NOT NULL CHECK (expected_images >= 0),
    requested_model_version text        NULL,
    -- Filled at completion: the model that scored the images, and the final counts.
    model_version           text        NULL,
    scored_images           integer     NOT NULL DEFAULT 0,
    failed_images           integer     NOT NULL DEFAULT 0,
    tags                    jsonb       NOT NULL DEFAULT '{}',
    created_at              timestamptz NOT NULL DEFAULT now(),
    completed_at            timestamptz NULL
);

CREATE INDEX scoring_jobs_running ON scoring_jobs (created_at) WHERE status = 'Running';

CREATE TABLE image_results (
    job_id         uuid             NOT NULL REFERENCES scoring_jobs (id) ON DELETE CASCADE,
    image_id       text             NOT NULL,
    -- Where the image came from: the URI or path as sent, or 'inline:<n> chars' for base64 data.
    source         text             NOT NULL,
    status         text             NOT NULL CHECK (status IN ('Pending', 'Scored', 'Failed')),
    score          double precision NULL,
    base_scores    jsonb            NULL,
    uncertainty    double precision NULL,
    distortions    jsonb            NULL,
    model_version  text             NULL,
    failure_code   text             NULL,
    failure_detail text             NULL,
    enqueued_at    timestamptz      NOT NULL DEFAULT now(),
    finished_at    timestamptz      NULL,
    PRIMARY KEY (job_id, image_id),
    CHECK ((status = 'Scored') = (score IS NOT NULL)),
    CHECK ((status = 'Failed') = (failure_code IS NOT NULL))
);

-- The completion check asks "is anything of this job still pending?" after every batch.
CREATE INDEX image_results_pending ON image_results (job_id) WHERE status = 'Pending';
