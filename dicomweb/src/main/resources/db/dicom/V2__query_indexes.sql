-- Indexes for the QIDO-RS keys viewers search by most: names (prefix wildcards), dates and modality.
-- Measured with bench/dicomweb over 10,000 studies: without them each such search scanned every instance.
CREATE INDEX dicom_instances_patient_name ON dicom_instances (patient_name);
CREATE INDEX dicom_instances_patient_name_fuzzy ON dicom_instances (patient_name_fuzzy);
CREATE INDEX dicom_instances_study_date ON dicom_instances (study_date);
CREATE INDEX dicom_instances_modality_study ON dicom_instances (modality, study_uid);
CREATE INDEX dicom_instances_accession ON dicom_instances (accession_number);
