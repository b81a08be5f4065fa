package org.arca.dicom;

import java.util.Set;

/**
 * The VR an Implicit VR reader gives the attributes PS3.6 lists as "US or SS" because they hold pixel values:
 * SS when the same dataset's Pixel Representation (0028,0103) is 1 (signed samples), else US. Decided as
 * DCMTK decides, so the JSON of such an object agrees with {@code dcm2json}: only the dataset's own Pixel
 * Representation counts (not that of a dataset enclosing a sequence item), and the palette and LUT
 * descriptors, whose first value is a count, stay US.
 */
final class PixelValueVr {
    private static final Set<Integer> TAGS = Set.of(
            0x00280106, // Smallest Image Pixel Value
            0x00280107, // Largest Image Pixel Value
            0x00280108, // Smallest Pixel Value in Series
            0x00280109, // Largest Pixel Value in Series
            0x00280120, // Pixel Padding Value
            0x00280121, // Pixel Padding Range Limit
            0x00409211, // Real World Value Last Value Mapped
            0x00409216, // Real World Value First Value Mapped
            0x00603004, // Histogram First Bin Value
            0x00603006); // Histogram Last Bin Value

    private PixelValueVr() {
    }

    /** The VR of {@code tag} read without a VR in {@code dataset}, whose earlier elements are already read. */
    static VR implicit(int tag, Attributes dataset) {
        VR vr = DataDictionary.vrOf(tag);
        if (vr == VR.US && TAGS.contains(tag) && dataset.getInt(Tag.PixelRepresentation, 0) == 1) {
            return VR.SS;
        }
        return vr;
    }
}
