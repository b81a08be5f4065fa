package org.arca.dicomweb;

import org.arca.dicom.DicomFile;

/**
 * An upload's DICOM header, read up to (not including) its pixel data while it was ingested: the fact the ingest
 * steps and the DICOM index share, so that an instance's header is parsed once on its way in.
 */
public record ParsedHeader(DicomFile file) {
}
