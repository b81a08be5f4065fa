-- AI runtime tables, migrated by the ai-runtime module with its own history table (flyway_history_ai).
-- A model version is identified by (name, version); its package is a blob, pinned by sha256 at approval.
CREATE TABLE ai_models (
  name          VARCHAR(64)   NOT NULL,
  version       VARCHAR(32)   NOT NULL,
  status        VARCHAR(16)   NOT NULL,
  sha256        VARCHAR(64)   NOT NULL,
  size_bytes    BIGINT        NOT NULL,
  manifest      VARCHAR(70000) NOT NULL,
  submitted_by  VARCHAR(40)   NOT NULL REFERENCES users (id),
  submitted_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  reviewed_by   VARCHAR(40)   REFERENCES users (id),
  reviewed_at   TIMESTAMP WITH TIME ZONE,
  approved_sha256 VARCHAR(64),
  reason        VARCHAR(2000),
  PRIMARY KEY (name, version)
);
CREATE INDEX ai_models_status ON ai_models (status);

-- Jobs are rows so they survive a restart; the runner claims queued rows and never forgets running ones.
CREATE TABLE ai_jobs (
  id            VARCHAR(40)   PRIMARY KEY,
  model_name    VARCHAR(64)   NOT NULL,
  model_version VARCHAR(32)   NOT NULL,
  model_sha256  VARCHAR(64)   NOT NULL,
  user_id       VARCHAR(40)   NOT NULL REFERENCES users (id),
  study_uid     VARCHAR(64)   NOT NULL,
  series_uid    VARCHAR(64)   NOT NULL,
  parameters    VARCHAR(4000) NOT NULL,
  output_folder VARCHAR(40)   NOT NULL,
  status        VARCHAR(16)   NOT NULL,
  progress      DOUBLE PRECISION NOT NULL,
  log           VARCHAR(20000) NOT NULL,
  error         VARCHAR(2000),
  results       VARCHAR(1000000) NOT NULL,
  timings       VARCHAR(1000) NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  started_at    TIMESTAMP WITH TIME ZONE,
  finished_at   TIMESTAMP WITH TIME ZONE
);
CREATE INDEX ai_jobs_status ON ai_jobs (status, created_at);
CREATE INDEX ai_jobs_user ON ai_jobs (user_id, created_at);
