package org.arca.dicom.image;

/**
 * One frame's samples after decompression: {@code samples} holds rows × columns × samplesPerPixel
 * values, interleaved per pixel, as stored values (sign extended when signed; before any LUT).
 *
 * @param description the pixel description that fits the samples (photometric may differ from the
 *                    object's: a JPEG decoder returns RGB for YBR_FULL_422 input)
 */
public record DecodedFrame(PixelDescription description, int[] samples) {
}
