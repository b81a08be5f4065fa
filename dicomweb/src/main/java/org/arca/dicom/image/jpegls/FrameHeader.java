package org.arca.dicom.image.jpegls;

/**
 * The JPEG-LS frame header (SOF55, T.87 C.2.2): sample precision, size and the components' identifiers.
 *
 * @param precision    bits per sample, 2 to 16
 * @param componentIds the identifier of each component, in frame order; scans name components by them
 */
record FrameHeader(int precision, int rows, int columns, int[] componentIds) {
    int components() {
        return componentIds.length;
    }

    /** The frame-order index of a component identifier, or -1. */
    int indexOf(int componentId) {
        for (int i = 0; i < componentIds.length; i++) {
            if (componentIds[i] == componentId) {
                return i;
            }
        }
        return -1;
    }
}
