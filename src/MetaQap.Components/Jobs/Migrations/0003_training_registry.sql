-- Training runs and the model registry (DESIGN.md §5, docs/training.md). A run's artifact has the run's id.

CREATE TABLE training_runs (
    id                    uuid             PRIMARY KEY,
    kind                  text             NOT NULL CHECK (kind IN ('Pretrain', 'Train', 'FitMeta')),
    -- The command as received (JSON), so a run resumed by another worker trains exactly what was asked.
    request               jsonb            NOT NULL,
    status                text             NOT NULL DEFAULT 'Queued'
                                           CHECK (status IN ('Queued', 'Running', 'Completed', 'Failed', 'Cancelled')),
    cancel_requested      boolean          NOT NULL DEFAULT false,
    -- The worker training it and until when its claim holds; a claim not renewed in time (a killed worker) lets
    -- another worker, or the same one restarted, resume the run from its last checkpoint.
    owner                 text             NULL,
    lease_expires_at      timestamptz      NULL,
    attempts              integer          NOT NULL DEFAULT 0,
    epoch                 integer          NULL,
    epochs                integer          NULL,
    step                  integer          NULL,
    steps_per_epoch       integer          NULL,
    progress              double precision NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
    loss                  double precision NULL,
    validation_srocc      double precision NULL,
    validation_plcc       double precision NULL,
    metrics               jsonb            NULL,
    failure_code          text             NULL,
    failure_message       text             NULL,
    created_at            timestamptz      NOT NULL DEFAULT now(),
    started_at            timestamptz      NULL,
    updated_at            timestamptz      NOT NULL DEFAULT now(),
    finished_at           timestamptz      NULL,
    -- When TrainingCompleted / TrainingFailed went out (stored first, published after, as for scoring).
    outcome_published_at  timestamptz      NULL,
    CHECK ((status = 'Failed' OR status = 'Cancelled') = (failure_code IS NOT NULL))
);

CREATE INDEX training_runs_open ON training_runs (created_at) WHERE status IN ('Queued', 'Running');

CREATE TABLE model_artifacts (
    id            uuid        PRIMARY KEY REFERENCES training_runs (id),
    kind          text        NOT NULL CHECK (kind IN ('Pretrained', 'FineTuned')),
    architecture  text        NOT NULL,
    input_size    integer     NOT NULL CHECK (input_size > 0),
    -- Relative to the model store (MetaQap:Registry:ModelStore), so workers may mount it at different paths.
    path          text        NOT NULL,
    sha256        text        NOT NULL,
    metrics       jsonb       NOT NULL DEFAULT '{}',
    provenance    jsonb       NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ensembles (
    id               uuid        PRIMARY KEY,
    -- NULL for an ensemble registered from a folder rather than made by a FitMeta run.
    run_id           uuid        NULL REFERENCES training_runs (id),
    version          text        NOT NULL UNIQUE,
    path             text        NOT NULL,
    manifest_sha256  text        NOT NULL,
    base_models      uuid[]      NOT NULL,
    method           text        NOT NULL,
    metrics          jsonb       NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL DEFAULT now(),
    active           boolean     NOT NULL DEFAULT false,
    promoted_at      timestamptz NULL
);

-- At most one active ensemble: a promotion clears the old flag and sets the new one in one transaction.
CREATE UNIQUE INDEX ensembles_one_active ON ensembles (active) WHERE active;
