-- Background ZIP unpack jobs, kept so that their owner can read the outcome after a restart and so that a job
-- cut short by a stop is failed explicitly on the next start instead of vanishing.
-- state: running, done, failed (message says why); done_entries counts files already made (they stay).
CREATE TABLE unpack_jobs (
  id               VARCHAR(40)   PRIMARY KEY,
  user_id          VARCHAR(40)   NOT NULL,
  item_id          VARCHAR(40)   NOT NULL,
  target_folder_id VARCHAR(40)   NOT NULL,
  state            VARCHAR(16)   NOT NULL,
  done_entries     INTEGER       NOT NULL,
  total_entries    INTEGER       NOT NULL,
  message          VARCHAR(1000),
  started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX unpack_jobs_state ON unpack_jobs (state);
