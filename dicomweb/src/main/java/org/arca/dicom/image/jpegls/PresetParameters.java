package org.arca.dicom.image.jpegls;

/**
 * The coding parameters of a preset-parameters segment (LSE, ID 1; T.87 C.2.4.1.1). A zero means "the default
 * for this value", as in the segment itself.
 */
record PresetParameters(int maxVal, int t1, int t2, int t3, int reset) {
    static final PresetParameters DEFAULTS = new PresetParameters(0, 0, 0, 0, 0);
}
