-- Names each job's artifact folder uniquely, so a reset database never meets another job's checkpoints.
ALTER TABLE jobs ADD COLUMN run_key uuid NOT NULL DEFAULT gen_random_uuid();
