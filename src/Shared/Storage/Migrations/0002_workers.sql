-- Worker processes announce themselves here so the dashboard can show device, threads and current job.
CREATE TABLE workers (
    name           text        PRIMARY KEY,
    device         text        NOT NULL,
    threads        integer     NOT NULL,
    queues         text[]      NOT NULL,
    started_at     timestamptz NOT NULL,
    heartbeat_at   timestamptz NOT NULL,
    current_job_id bigint      REFERENCES jobs (id) ON DELETE SET NULL
);
