package org.arca.ai.worker;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the worker returns for one frame, or for a volume input for the whole volume ({@code depth} slices of
 * {@code height} × {@code width}; 1 for a frame): a label map at the tensor's size (0 = background, else the
 * label number) and the boxes of its connected regions with their mean score; or, for a fractional segmentation,
 * no label map but one map of probabilities per label ({@code fractions}, label-major, each value 0..255
 * standing for 0..1); or, for a model of class scores, no map (0 × 0 × 0) and the first output's raw values.
 * Written by the worker, read by the server, in a plain binary form.
 */
public record FrameResult(int depth, int height, int width, byte[] labels, List<Box> boxes, float[] scores,
                          byte[] fractions) {
    /** More planes than a SEG has segments for would only be a malformed file. */
    static final int MAX_PLANES = 255;

    public FrameResult {
        boxes = List.copyOf(boxes);
        long plane = (long) depth * height * width;
        if (depth < 0 || (depth == 0) != (height == 0) || labels.length != 0 && labels.length != plane || plane == 0 && fractions.length != 0
                || plane != 0 && fractions.length % plane != 0
                || plane != 0 && fractions.length / plane > MAX_PLANES) {
            throw new IllegalArgumentException("a " + width + "x" + height + "x" + depth + " result with " + labels.length
                    + " label bytes and " + fractions.length + " fraction bytes");
        }
    }

    public FrameResult(int height, int width, byte[] labels, List<Box> boxes) {
        this(height == 0 ? 0 : 1, height, width, labels, boxes, new float[0], new byte[0]);
    }

    /** A frame's class scores, as the model gave them. */
    public static FrameResult ofScores(float[] scores) {
        return new FrameResult(0, 0, 0, new byte[0], List.of(), scores, new byte[0]);
    }

    /** Probability maps, one per label of d × h × w, each value 0..255. */
    public static FrameResult ofFractions(int depth, int height, int width, byte[] fractions) {
        return new FrameResult(depth, height, width, new byte[0], List.of(), new float[0], fractions);
    }

    /** A label map of d × h × w without boxes: a volume's, whose regions are not boxed slice by slice. */
    public static FrameResult ofLabels(int depth, int height, int width, byte[] labels) {
        return new FrameResult(depth, height, width, labels, List.of(), new float[0], new byte[0]);
    }

    /** How many probability maps the result has: one per label for a fractional segmentation, else none. */
    public int planes() {
        return height == 0 ? 0 : fractions.length / (depth * height * width);
    }

    /** The probability map of label {@code label} (1-based, as segments count), d × h × w values 0..255. */
    public byte[] plane(int label) {
        int n = depth * height * width;
        return java.util.Arrays.copyOfRange(fractions, (label - 1) * n, label * n);
    }

    /**
     * Slice {@code z} of a volume's result as a frame's (depth 1): its labels, or its probability maps, one per
     * label; no boxes or scores, which a volume does not have.
     */
    public FrameResult slice(int z) {
        int n = height * width;
        byte[] sliceLabels = labels.length == 0 ? labels : java.util.Arrays.copyOfRange(labels, z * n, (z + 1) * n);
        int planes = planes();
        byte[] sliceFractions = new byte[planes * n];
        for (int p = 0; p < planes; p++) {
            System.arraycopy(fractions, (p * depth + z) * n, sliceFractions, p * n, n);
        }
        return new FrameResult(1, height, width, sliceLabels, List.of(), new float[0], sliceFractions);
    }

    /** A region's bounding box in tensor pixels (x1, y1 exclusive) with its mean probability. */
    public record Box(int label, int x0, int y0, int x1, int y1, float score) {
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(depth);
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
        int d = in.readInt();
        int h = in.readInt();
        int w = in.readInt();
        if (d < 0 || h < 0 || w < 0 || (h == 0) != (w == 0) || (d == 0) != (h == 0) || (long) d * h * w > Integer.MAX_VALUE) {
            throw new IOException("bad result size");
        }
        int voxels = d * h * w;
        byte[] labels = in.readBoolean() ? readFully(in, voxels) : new byte[0];
        int n = in.readInt();
        if (n < 0 || n > voxels) {
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
        if (planes > 0 && (h == 0 || (long) planes * voxels > Integer.MAX_VALUE)) {
            throw new IOException("bad plane count " + planes);
        }
        byte[] fractions = readFully(in, planes * voxels);
        return new FrameResult(d, h, w, labels, boxes, scores, fractions);
    }

    private static byte[] readFully(DataInputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("results end inside a frame");
        }
        return bytes;
    }
}
