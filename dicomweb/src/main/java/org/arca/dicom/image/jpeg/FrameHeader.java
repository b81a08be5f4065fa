package org.arca.dicom.image.jpeg;

import java.util.ArrayList;
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

    /**
     * Reads an SOF segment (T.81 B.2.2) whose marker the reader has just passed: precision 8 or 12, a height (0,
     * which leaves it to a DNL segment, is not supported), a width, and one to four components with sampling
     * factors from 1 to 4.
     */
    static FrameHeader read(MarkerReader in, int process, int at) throws JpegFormatException {
        int end = in.segmentEnd();
        int precision = in.u8();
        int height = in.u16();
        int width = in.u16();
        int count = in.u8();
        if (precision != 8 && precision != 12) {
            throw new JpegFormatException("sample precision " + precision + " is not 8 or 12", at);
        }
        if (height == 0) {
            throw new JpegFormatException("DNL (height after the scan) is not supported", at);
        }
        if (width == 0 || count < 1 || count > 4) {
            throw new JpegFormatException("frame of width " + width + " with " + count + " components", at);
        }
        List<Component> components = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int id = in.u8();
            int factors = in.u8();
            int quant = in.u8();
            int h = factors >> 4;
            int v = factors & 15;
            if (h < 1 || h > 4 || v < 1 || v > 4 || quant > 3) {
                throw new JpegFormatException("component " + id + " has sampling " + h + "x" + v + " and table "
                        + quant, at);
            }
            for (Component other : components) {
                if (other.id() == id) {
                    throw new JpegFormatException("component " + id + " twice in the frame header", at);
                }
            }
            components.add(new Component(id, h, v, quant));
        }
        in.expectSegmentEnd(end);
        return new FrameHeader(process, precision, width, height, List.copyOf(components));
    }

    /** The index in {@link #components} of the component with this identifier, or -1. */
    int indexOf(int id) {
        for (int i = 0; i < components.size(); i++) {
            if (components.get(i).id() == id) {
                return i;
            }
        }
        return -1;
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
