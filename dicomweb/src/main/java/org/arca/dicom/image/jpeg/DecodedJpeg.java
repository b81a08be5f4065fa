package org.arca.dicom.image.jpeg;

/**
 * A decoded JPEG frame: {@code width x height} pixels, each the components' samples in frame order, unsigned,
 * in the stream's own colour space (no colour transform applied: the caller knows what the components mean).
 */
public record DecodedJpeg(FrameHeader header, int[] samples) {
}
