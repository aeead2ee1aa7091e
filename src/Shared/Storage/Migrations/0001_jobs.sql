-- Jobs and what they report. PostgreSQL is the source of truth: the Web reads these tables,
-- the Worker writes them, and NOTIFY on channel 'webtrainer_updates' tells the Web what changed.
CREATE TABLE jobs (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name              text        NOT NULL,
    owner             text        NOT NULL,
    spec              jsonb       NOT NULL,
    status            text        NOT NULL CHECK (status IN ('Queued', 'Running', 'Succeeded', 'Failed', 'Cancelled')),
    queue             text        NOT NULL,
    hangfire_job_id   text,
    cancel_requested  boolean     NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    finished_at       timestamptz,
    worker_name       text,
    epoch             integer     NOT NULL DEFAULT 0,
    total_epochs      integer     NOT NULL,
    best_val_accuracy double precision,
    error             text,
    test_results      jsonb
);
CREATE INDEX jobs_status_idx ON jobs (status);
CREATE INDEX jobs_created_idx ON jobs (created_at DESC);

CREATE TABLE epoch_metrics (
    job_id      bigint      NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    epoch       integer     NOT NULL,
    metrics     jsonb       NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, epoch)
);

CREATE TABLE batch_progress (
    job_id            bigint           NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    epoch             integer          NOT NULL,
    batch             integer          NOT NULL,
    batches_per_epoch integer          NOT NULL,
    loss              double precision NOT NULL,
    accuracy          double precision NOT NULL,
    samples_per_second double precision NOT NULL,
    recorded_at       timestamptz      NOT NULL,
    PRIMARY KEY (job_id, epoch, batch)
);

CREATE TABLE job_events (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id  bigint      NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    at      timestamptz NOT NULL DEFAULT now(),
    level   text        NOT NULL,
    message text        NOT NULL
);
CREATE INDEX job_events_job_idx ON job_events (job_id, id);
