package org.arca.dicom.image.jpeg;

import java.util.List;

/**
 * A JPEG frame header (T.81 B.2.2): sample precision, size and components.
 *
 * @param process the SOF marker's low nibble: 0 baseline, 1 extended sequential Huffman
 */
public record FrameHeader(int process, int precision, int width, int height, List<Component> components) {

    /**
     * One component of the frame.
     *
     * @param id              the component identifier scans refer to it by
     * @param horizontal      horizontal sampling factor, 1 to 4
     * @param vertical        vertical sampling factor, 1 to 4
     * @param quantTable      destination of the quantisation table its blocks use, 0 to 3
     */
    public record Component(int id, int horizontal, int vertical, int quantTable) {
    }

    int maxHorizontal() {
        return components.stream().mapToInt(Component::horizontal).max().orElse(1);
    }

    int maxVertical() {
        return components.stream().mapToInt(Component::vertical).max().orElse(1);
    }

    /** MCUs across the image in an interleaved scan (T.81 A.2.3). */
    int mcusAcross() {
        return ceilDiv(width, 8 * maxHorizontal());
    }

    int mcusDown() {
        return ceilDiv(height, 8 * maxVertical());
    }

    /** Columns of component {@code c}'s samples that lie inside the image (T.81 A.1.1). */
    int componentWidth(Component c) {
        return ceilDiv(width * c.horizontal(), maxHorizontal());
    }

    int componentHeight(Component c) {
        return ceilDiv(height * c.vertical(), maxVertical());
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
