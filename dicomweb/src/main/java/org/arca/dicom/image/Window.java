package org.arca.dicom.image;

/** A VOI window (PS3.3 C.11.2.1.2): centre and width in modality units (after rescale). */
public record Window(double center, double width) {
    public Window {
        if (!(width >= 1)) {
            throw new IllegalArgumentException("window width must be at least 1, was " + width);
        }
    }
}
