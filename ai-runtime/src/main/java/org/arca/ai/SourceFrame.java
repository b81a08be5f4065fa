package org.arca.ai;

import org.arca.dicom.Attributes;

/**
 * One input frame as the job saw it: the instance it came from (its item, its blob, its header with the pixel
 * data left out), the frame number (1-based, as DICOM counts) and its size, so results map back onto it; and
 * where its prepared form starts in the job's tensor file ({@code -1} before it is written), so an overlay can
 * be drawn from what the model saw without decoding the DICOM again.
 */
record SourceFrame(String itemId, String sha256, Attributes header, int frameNumber, int rows, int columns,
                   long tensorOffset) {

    SourceFrame(String itemId, String sha256, Attributes header, int frameNumber, int rows, int columns) {
        this(itemId, sha256, header, frameNumber, rows, columns, -1);
    }

    SourceFrame at(long offset) {
        return new SourceFrame(itemId, sha256, header, frameNumber, rows, columns, offset);
    }

    String sopInstanceUid() {
        return header.getString(org.arca.dicom.Tag.SOPInstanceUID, "");
    }

    String sopClassUid() {
        return header.getString(org.arca.dicom.Tag.SOPClassUID, "");
    }
}
