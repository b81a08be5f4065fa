package org.arca.ai;

import org.arca.dicom.Attributes;

/**
 * One input frame as the job saw it: the instance it came from (its header, pixel data left out), its item, the
 * frame number (1-based, as DICOM counts) and its size, so results map back onto it.
 */
record SourceFrame(String itemId, Attributes header, int frameNumber, int rows, int columns) {

    String sopInstanceUid() {
        return header.getString(org.arca.dicom.Tag.SOPInstanceUID, "");
    }

    String sopClassUid() {
        return header.getString(org.arca.dicom.Tag.SOPClassUID, "");
    }
}
