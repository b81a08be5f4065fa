-- Arca's metadata store. The same script runs on H2 and PostgreSQL: keep to the SQL both accept.
-- Names are unquoted everywhere (jOOQ renders them unquoted too), so each database folds them its own way.

CREATE TABLE sites (
  id                VARCHAR(40)  PRIMARY KEY,
  name              VARCHAR(255) NOT NULL UNIQUE,
  registration_code VARCHAR(255) NOT NULL UNIQUE,
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE users (
  id            VARCHAR(40)  PRIMARY KEY,
  login         VARCHAR(64)  NOT NULL UNIQUE,
  display_name  VARCHAR(255) NOT NULL,
  email         VARCHAR(320) NOT NULL,
  password_hash VARCHAR(255),
  status        VARCHAR(16)  NOT NULL,
  site_id       VARCHAR(40)  REFERENCES sites (id),
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE user_roles (
  user_id   VARCHAR(40) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role_name VARCHAR(16) NOT NULL,
  PRIMARY KEY (user_id, role_name)
);

CREATE TABLE user_groups (
  id         VARCHAR(40)  PRIMARY KEY,
  name       VARCHAR(255) NOT NULL UNIQUE,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE group_members (
  group_id VARCHAR(40) NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
  user_id  VARCHAR(40) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

-- Secrets are random and long, so a SHA-256 of them is enough to keep them from being read back.
CREATE TABLE api_tokens (
  id           VARCHAR(40)  PRIMARY KEY,
  user_id      VARCHAR(40)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         VARCHAR(255) NOT NULL,
  secret_hash  VARCHAR(64)  NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at   TIMESTAMP WITH TIME ZONE,
  revoked_at   TIMESTAMP WITH TIME ZONE,
  last_used_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
CREATE UNIQUE INDEX api_tokens_secret ON api_tokens (secret_hash);

CREATE TABLE sessions (
  secret_hash VARCHAR(64) PRIMARY KEY,
  user_id     VARCHAR(40) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A collection is a folder without a parent. parent_key is the parent's id, or '-' for a collection,
-- so that one unique constraint keeps sibling names apart on every database (NULLs never collide).
CREATE TABLE folders (
  id            VARCHAR(40)   PRIMARY KEY,
  parent_id     VARCHAR(40)   REFERENCES folders (id),
  parent_key    VARCHAR(40)   NOT NULL,
  collection_id VARCHAR(40)   NOT NULL,
  name          VARCHAR(255)  NOT NULL,
  description   VARCHAR(4000) NOT NULL,
  created_by    VARCHAR(40),
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT folders_sibling_name UNIQUE (parent_key, name)
);
CREATE INDEX folders_parent ON folders (parent_id);

-- Closure table: one row per (folder, ancestor-or-self). Ancestors and subtrees are one indexed query each.
CREATE TABLE folder_ancestors (
  folder_id   VARCHAR(40) NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
  ancestor_id VARCHAR(40) NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
  depth       INTEGER     NOT NULL,
  PRIMARY KEY (folder_id, ancestor_id)
);
CREATE INDEX folder_ancestors_ancestor ON folder_ancestors (ancestor_id, depth);

CREATE TABLE acl_entries (
  folder_id      VARCHAR(40) NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
  principal_type VARCHAR(16) NOT NULL,
  principal_id   VARCHAR(40) NOT NULL,
  access_level   INTEGER     NOT NULL,
  PRIMARY KEY (folder_id, principal_type, principal_id)
);
CREATE INDEX acl_entries_principal ON acl_entries (principal_type, principal_id);

CREATE TABLE blobs (
  sha256     VARCHAR(64) PRIMARY KEY,
  size_bytes BIGINT      NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE items (
  id          VARCHAR(40)   PRIMARY KEY,
  folder_id   VARCHAR(40)   NOT NULL REFERENCES folders (id),
  name        VARCHAR(255)  NOT NULL,
  description VARCHAR(4000) NOT NULL,
  created_by  VARCHAR(40),
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT items_sibling_name UNIQUE (folder_id, name)
);

CREATE TABLE files (
  id         VARCHAR(40)  PRIMARY KEY,
  item_id    VARCHAR(40)  NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  name       VARCHAR(255) NOT NULL,
  size_bytes BIGINT       NOT NULL,
  media_type VARCHAR(255) NOT NULL,
  sha256     VARCHAR(64)  NOT NULL REFERENCES blobs (sha256),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX files_item ON files (item_id);
CREATE INDEX files_sha256 ON files (sha256);

-- Typed user metadata on folders and items; exactly one of the value columns is set, as value_type says.
CREATE TABLE metadata (
  target_type  VARCHAR(8)    NOT NULL,
  target_id    VARCHAR(40)   NOT NULL,
  meta_key     VARCHAR(255)  NOT NULL,
  value_type   VARCHAR(8)    NOT NULL,
  text_value   VARCHAR(4000),
  number_value DOUBLE PRECISION,
  date_value   DATE,
  PRIMARY KEY (target_type, target_id, meta_key)
);

-- Append-only, hash-chained. audit_head holds the last link so that deleting the newest entries shows too,
-- and its row lock orders concurrent appends.
CREATE TABLE audit_log (
  seq           BIGINT        PRIMARY KEY,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  actor         VARCHAR(64)   NOT NULL,
  action        VARCHAR(64)   NOT NULL,
  resource_type VARCHAR(32)   NOT NULL,
  resource_id   VARCHAR(255)  NOT NULL,
  detail        VARCHAR(4000) NOT NULL,
  prev_hash     VARCHAR(64)   NOT NULL,
  entry_hash    VARCHAR(64)   NOT NULL
);
CREATE INDEX audit_log_resource ON audit_log (resource_id);
CREATE INDEX audit_log_actor ON audit_log (actor);

CREATE TABLE audit_head (
  id         INTEGER     PRIMARY KEY,
  seq        BIGINT      NOT NULL,
  entry_hash VARCHAR(64) NOT NULL
);
INSERT INTO audit_head (id, seq, entry_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
