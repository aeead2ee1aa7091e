-- A sweep groups the jobs of one hyperparameter search: each job is one point, the base spec with
-- the sweep's paths set to that point's values (kept in sweep_values for the sweep's table).
CREATE TABLE sweeps (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    owner      text        NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('grid', 'random')),
    paths      text[]      NOT NULL,
    request    jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sweeps_owner_idx ON sweeps (owner);

ALTER TABLE jobs ADD COLUMN sweep_id bigint REFERENCES sweeps (id) ON DELETE SET NULL;
ALTER TABLE jobs ADD COLUMN sweep_index integer;
ALTER TABLE jobs ADD COLUMN sweep_values jsonb;
CREATE INDEX jobs_sweep_idx ON jobs (sweep_id, sweep_index) WHERE sweep_id IS NOT NULL;
