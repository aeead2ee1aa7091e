-- Jobs wait here, not in Hangfire, until the dispatcher hands them out: by priority, oldest first,
-- never more running per person than the configured limit.
ALTER TABLE jobs ADD COLUMN priority integer NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN dispatched_at timestamptz;
CREATE INDEX jobs_pending_idx ON jobs (priority DESC, created_at, id) WHERE status = 'Queued' AND dispatched_at IS NULL;
