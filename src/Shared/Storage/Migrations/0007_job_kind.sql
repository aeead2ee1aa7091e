-- Jobs that are not training runs: 'optimize' rewrites a dataset file into a training-friendly
-- layout. Its request lives in `optimize`; `spec` then holds only its name and input file, so
-- lists, search and the queue forecast read every job alike.
ALTER TABLE jobs ADD COLUMN kind text NOT NULL DEFAULT 'train' CHECK (kind IN ('train', 'optimize'));
ALTER TABLE jobs ADD COLUMN optimize jsonb;
