-- The DICOM index: one row per stored instance, with the attributes QIDO-RS matches and returns.
-- It is a cache of the blobs (rebuilt by re-reading them), so values are kept as DICOM strings.
-- Access is never stored here: queries filter through the core's ACL condition on item_id.
CREATE TABLE dicom_instances (
  item_id             VARCHAR(40)  PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  file_id             VARCHAR(40)  NOT NULL,
  sha256              VARCHAR(64)  NOT NULL,
  size_bytes          BIGINT       NOT NULL,
  transfer_syntax     VARCHAR(64)  NOT NULL,
  sop_instance_uid    VARCHAR(64)  NOT NULL,
  sop_class_uid       VARCHAR(64)  NOT NULL,
  study_uid           VARCHAR(64)  NOT NULL,
  series_uid          VARCHAR(64)  NOT NULL,
  patient_id          VARCHAR(64),
  patient_name        VARCHAR(324),
  patient_name_fuzzy  VARCHAR(324),
  patient_birth_date  VARCHAR(8),
  patient_sex         VARCHAR(16),
  study_date          VARCHAR(8),
  study_time          VARCHAR(16),
  accession_number    VARCHAR(16),
  study_id            VARCHAR(16),
  study_description   VARCHAR(64),
  referring_physician VARCHAR(324),
  modality            VARCHAR(16),
  series_number       INTEGER,
  series_description  VARCHAR(64),
  series_date         VARCHAR(8),
  body_part           VARCHAR(16),
  instance_number     INTEGER,
  image_rows          INTEGER,
  image_columns       INTEGER,
  number_of_frames    INTEGER,
  bits_allocated      INTEGER
);
CREATE INDEX dicom_instances_study ON dicom_instances (study_uid);
CREATE INDEX dicom_instances_series ON dicom_instances (series_uid);
CREATE INDEX dicom_instances_sop ON dicom_instances (sop_instance_uid);
CREATE INDEX dicom_instances_patient ON dicom_instances (patient_id);
