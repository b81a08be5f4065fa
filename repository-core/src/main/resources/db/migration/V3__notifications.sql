-- Messages to one user from the system (a curator approved or rejected their model, a model awaits review),
-- shown in the portal until read. Texts are written by Arca, never copied from file contents (no PHI).
CREATE TABLE notifications (
  id         VARCHAR(40)   PRIMARY KEY,
  user_id    VARCHAR(40)   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind       VARCHAR(64)   NOT NULL,
  message    VARCHAR(4000) NOT NULL,
  link       VARCHAR(1000),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  read_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
