-- Each start of a job's run process is an attempt; a run process that dies is resumed from its
-- last checkpoint until JobQueue:MaxAttempts is reached (the crash-loop guard).
ALTER TABLE jobs ADD COLUMN attempts integer NOT NULL DEFAULT 0;
