package org.arca.ai.worker;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the worker returns for one frame: a label map at the tensor's size (0 = background, else the label
 * number) and the boxes of its connected regions with their mean score; or, for a fractional segmentation, no
 * label map but one plane of probabilities per label ({@code fractions}, label-major, each value 0..255 standing
 * for 0..1); or, for a model of class scores, no map (0 × 0) and the first output's raw values. Written by the
 * worker, read by the server, in a plain binary form.
 */
public record FrameResult(int height, int width, byte[] labels, List<Box> boxes, float[] scores, byte[] fractions) {
    /** More planes than a SEG has segments for would only be a malformed file. */
    static final int MAX_PLANES = 255;

    public FrameResult {
        boxes = List.copyOf(boxes);
        long plane = (long) height * width;
        if (labels.length != 0 && labels.length != plane || plane == 0 && fractions.length != 0
                || plane != 0 && fractions.length % plane != 0
                || plane != 0 && fractions.length / plane > MAX_PLANES) {
            throw new IllegalArgumentException("a " + width + "x" + height + " result with " + labels.length
                    + " label bytes and " + fractions.length + " fraction bytes");
        }
    }

    public FrameResult(int height, int width, byte[] labels, List<Box> boxes) {
        this(height, width, labels, boxes, new float[0], new byte[0]);
    }

    /** A frame's class scores, as the model gave them. */
    public static FrameResult ofScores(float[] scores) {
        return new FrameResult(0, 0, new byte[0], List.of(), scores, new byte[0]);
    }

    /** A frame's probability planes, {@code planes} of h × w, each value 0..255. */
    public static FrameResult ofFractions(int height, int width, byte[] fractions) {
        return new FrameResult(height, width, new byte[0], List.of(), new float[0], fractions);
    }

    /** How many probability planes the frame has: one per label for a fractional segmentation, else none. */
    public int planes() {
        return height == 0 ? 0 : fractions.length / (height * width);
    }

    /** The probability plane of label {@code label} (1-based, as segments count), h × w values 0..255. */
    public byte[] plane(int label) {
        int n = height * width;
        return java.util.Arrays.copyOfRange(fractions, (label - 1) * n, label * n);
    }

    /** A region's bounding box in tensor pixels (x1, y1 exclusive) with its mean probability. */
    public record Box(int label, int x0, int y0, int x1, int y1, float score) {
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(height);
        out.writeInt(width);
        out.writeBoolean(labels.length != 0);
        out.write(labels);
        out.writeInt(boxes.size());
        for (Box b : boxes) {
            out.writeInt(b.label());
            out.writeInt(b.x0());
            out.writeInt(b.y0());
            out.writeInt(b.x1());
            out.writeInt(b.y1());
            out.writeFloat(b.score());
        }
        out.writeInt(scores.length);
        for (float v : scores) {
            out.writeFloat(v);
        }
        out.writeByte(planes());
        out.write(fractions);
    }

    /** Reads one frame's result as {@link #write} wrote it. */
    public static FrameResult read(DataInputStream in) throws IOException {
        int h = in.readInt();
        int w = in.readInt();
        if (h < 0 || w < 0 || (h == 0) != (w == 0) || (long) h * w > Integer.MAX_VALUE) {
            throw new IOException("bad result size");
        }
        byte[] labels = in.readBoolean() ? readFully(in, h * w) : new byte[0];
        int n = in.readInt();
        if (n < 0 || n > h * w) {
            throw new IOException("bad box count " + n);
        }
        List<Box> boxes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boxes.add(new Box(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readFloat()));
        }
        int count = in.readInt();
        if (count < 0 || count > 1 << 20) {
            throw new IOException("bad score count " + count);
        }
        float[] scores = new float[count];
        for (int i = 0; i < count; i++) {
            scores[i] = in.readFloat();
        }
        int planes = in.readUnsignedByte();
        if (planes > 0 && (h == 0 || (long) planes * h * w > Integer.MAX_VALUE)) {
            throw new IOException("bad plane count " + planes);
        }
        byte[] fractions = readFully(in, planes * h * w);
        return new FrameResult(h, w, labels, boxes, scores, fractions);
    }

    private static byte[] readFully(DataInputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("results end inside a frame");
        }
        return bytes;
    }
}
