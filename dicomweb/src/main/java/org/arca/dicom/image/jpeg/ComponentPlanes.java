package org.arca.dicom.image.jpeg;

import java.util.List;

/**
 * The decoded samples of each component of a frame, in planes sized to whole MCUs (what the scans write, padding
 * included), and their assembly into the frame's pixels once every component has been in a scan.
 */
final class ComponentPlanes {
    /** The largest array a JVM allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final FrameHeader frame;
    private final short[][] planes;
    private final int[] strides;
    private final boolean[] scanned;

    /**
     * Allocates the planes after checking that the stream could hold them at all: every block takes at least two
     * bits (a DC code and an end-of-block code, each one bit or more), so a stream too short for its blocks is
     * refused before anything is allocated, however large the size its few bytes claim.
     */
    ComponentPlanes(FrameHeader frame, int streamLength, int at) throws JpegFormatException {
        this.frame = frame;
        List<FrameHeader.Component> components = frame.components();
        int count = components.size();
        long blocks = 0;
        for (FrameHeader.Component c : components) {
            blocks += (long) FrameHeader.ceilDiv(frame.componentWidth(c), 8)
                    * FrameHeader.ceilDiv(frame.componentHeight(c), 8);
        }
        if (blocks * 2 > (long) streamLength * 8 + 8) {
            throw new JpegFormatException("stream of " + streamLength + " bytes cannot hold the " + blocks
                    + " blocks of a " + frame.width() + " x " + frame.height() + " frame", at);
        }
        planes = new short[count][];
        strides = new int[count];
        scanned = new boolean[count];
        long output = (long) frame.width() * frame.height() * count;
        for (int i = 0; i < count; i++) {
            FrameHeader.Component c = components.get(i);
            long stride = (long) frame.mcusAcross() * c.horizontal() * 8;
            long size = stride * frame.mcusDown() * c.vertical() * 8;
            if (size > MAX_ARRAY || output > MAX_ARRAY) {
                throw new JpegFormatException("a " + frame.width() + " x " + frame.height()
                        + " frame is too large to decode", at);
            }
            strides[i] = (int) stride;
            planes[i] = new short[(int) size];
        }
    }

    short[] plane(int component) {
        return planes[component];
    }

    int stride(int component) {
        return strides[component];
    }

    void scanned(int component) {
        scanned[component] = true;
    }

    /**
     * Every component at full size, samples interleaved pixel by pixel.
     *
     * @throws JpegFormatException if a component was in no scan
     */
    int[] interleave(int at) throws JpegFormatException {
        List<FrameHeader.Component> components = frame.components();
        int n = components.size();
        for (int i = 0; i < n; i++) {
            if (!scanned[i]) {
                throw new JpegFormatException("component " + components.get(i).id() + " is in no scan", at);
            }
        }
        int width = frame.width();
        int height = frame.height();
        int[] out = new int[width * height * n];
        for (int i = 0; i < n; i++) {
            FrameHeader.Component c = components.get(i);
            Upsampler.upsample(planes[i], strides[i], frame.componentWidth(c), frame.componentHeight(c),
                    c.horizontal(), frame.maxHorizontal(), c.vertical(), frame.maxVertical(), width, height, out, i, n);
            planes[i] = null; // let each padded plane go once it is in the output
        }
        return out;
    }
}
