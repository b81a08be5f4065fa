-- Text extracted from file contents by Tika, one row per blob (identical files are extracted once).
-- state: pending (queued, retried after a restart), done, failed (reason says why), skipped (reason says why).
CREATE TABLE extracted_text (
  sha256      VARCHAR(64)  PRIMARY KEY,
  state       VARCHAR(16)  NOT NULL,
  reason      VARCHAR(500),
  media_type  VARCHAR(255),
  content     TEXT,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX extracted_text_state ON extracted_text (state);
