-- The search index reads an instance's row by its file (DicomSearchFields): without this index each STOW-RS
-- instance scanned the whole table, so ingest slowed down as the archive grew.
CREATE INDEX dicom_instances_file ON dicom_instances (file_id);
