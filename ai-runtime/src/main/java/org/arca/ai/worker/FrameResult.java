package org.arca.ai.worker;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the worker returns for one frame: a label map at the tensor's size (0 = background, else the label
 * number) and the boxes of its connected regions with their mean score; or, for a model of class scores, no
 * map (0 × 0) and the first output's raw values. Written by the worker, read by the server, in a plain binary form.
 */
public record FrameResult(int height, int width, byte[] labels, List<Box> boxes, float[] scores) {

    public FrameResult(int height, int width, byte[] labels, List<Box> boxes) {
        this(height, width, labels, boxes, new float[0]);
    }

    /** A frame's class scores, as the model gave them. */
    public static FrameResult ofScores(float[] scores) {
        return new FrameResult(0, 0, new byte[0], List.of(), scores);
    }

    /** A region's bounding box in tensor pixels (x1, y1 exclusive) with its mean probability. */
    public record Box(int label, int x0, int y0, int x1, int y1, float score) {
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(height);
        out.writeInt(width);
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
    }

    /** Reads one frame's result as {@link #write} wrote it. */
    public static FrameResult read(DataInputStream in) throws IOException {
        int h = in.readInt();
        int w = in.readInt();
        if (h < 0 || w < 0 || (h == 0) != (w == 0) || (long) h * w > Integer.MAX_VALUE) {
            throw new IOException("bad result size");
        }
        byte[] labels = in.readNBytes(h * w);
        int n = in.readInt();
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
        return new FrameResult(h, w, labels, boxes, scores);
    }
}
