-- SSH public keys users register for SFTP. The key is kept as OpenSSH's one-line form (type and base64);
-- the SHA-256 fingerprint is what a connecting key is looked up by.
CREATE TABLE public_keys (
  id          VARCHAR(40)   PRIMARY KEY,
  user_id     VARCHAR(40)   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name        VARCHAR(255)  NOT NULL,
  key_type    VARCHAR(64)   NOT NULL,
  key_data    VARCHAR(16000) NOT NULL,
  fingerprint VARCHAR(100)  NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX public_keys_user_fingerprint ON public_keys (user_id, fingerprint);
