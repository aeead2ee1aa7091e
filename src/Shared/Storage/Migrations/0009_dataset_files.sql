-- Who put each uploaded file into a data root, so only they (or an admin) may replace or delete it,
-- and how many bytes each member keeps there (the upload quota). A file with no row was put there
-- by an operator (run.sh's sample, a copy by hand) and counts as the admins'. `size_bytes` is NULL
-- while an optimise job that will write the file is still queued or running.
CREATE TABLE dataset_files (
    root        text        NOT NULL,
    path        text        NOT NULL,
    owner_id    bigint      REFERENCES users (id) ON DELETE SET NULL,
    size_bytes  bigint,
    uploaded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (root, path)
);
CREATE INDEX dataset_files_owner_idx ON dataset_files (owner_id);

-- The dataset file a job was validated against (size, modification time, hash of its ends), so its
-- run can refuse a file that changed since. NULL for jobs queued before this migration: not checked.
ALTER TABLE jobs ADD COLUMN dataset_identity jsonb;
