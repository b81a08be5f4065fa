package org.arca.ai.worker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file of prepared input frames the server hands a worker: a count of frames, then per frame either a
 * float32 tensor (its shape, N=1 and three more dimensions in the model's layout, and its values) or an 8-bit
 * frame with the {@link TensorRecipe} that turns it into the tensor. A plain format of our own, so the worker
 * needs no parser library and streams one frame at a time instead of holding a series. Rendered frames travel
 * as bytes (a quarter of float32, a twelfth for grey levels), which is less for the server to write and the
 * worker to read; the server reads them back to draw overlays without decoding the DICOM again.
 */
public final class TensorFile {
    private static final int MAGIC = 0x41524355; // "ARCU": ARCT with 8-bit frames
    private static final byte FLOAT32 = 0;
    private static final byte RGB8 = 1;

    private TensorFile() {
    }

    /** One prepared frame, as the file holds it. */
    public sealed interface Frame permits Tensor, Rgb8 {
        /** The model's input for this frame. */
        Tensor tensor();
    }

    /** One frame's tensor: shape {@code [1, d1, d2, d3]} and values in row-major order. */
    public record Tensor(long[] shape, float[] values) implements Frame {
        @Override
        public Tensor tensor() {
            return this;
        }
    }

    /**
     * A frame rendered to 8 bits, {@code samples} bytes per pixel (3: R, G, B; 1: a grey level), at its own
     * size, with the recipe that makes the model's tensor of it.
     */
    public record Rgb8(int rows, int columns, int samples, byte[] pixels, TensorRecipe recipe) implements Frame {
        @Override
        public Tensor tensor() {
            return recipe.tensor(pixels, samples, rows, columns);
        }
    }

    /** Writes frames as they are prepared; close after the last. Not thread-safe. */
    public static final class Writer implements Closeable {
        private final DataOutputStream out;
        private long position;

        public Writer(Path file, int frames) throws IOException {
            this(Files.newOutputStream(file), frames);
        }

        /** Writes to {@code target}, which it closes; {@link #flush} hands what was written on. */
        public Writer(java.io.OutputStream target, int frames) throws IOException {
            out = new DataOutputStream(new BufferedOutputStream(target, 1 << 16));
            out.writeInt(MAGIC);
            out.writeInt(frames);
            position = 8;
        }

        /** Appends a frame and returns where it starts in the file, for {@link #readRgb8}. */
        public long write(Frame frame) throws IOException {
            long start = position;
            // Counted here: DataOutputStream's own count is an int that stops at 2 GiB.
            position += switch (frame) {
                case Tensor t -> writeTensor(t);
                case Rgb8 r -> writeRgb8(r);
            };
            return start;
        }

        private long writeTensor(Tensor tensor) throws IOException {
            out.writeByte(FLOAT32);
            out.writeInt(tensor.shape().length);
            for (long d : tensor.shape()) {
                out.writeLong(d);
            }
            ByteBuffer bytes = ByteBuffer.allocate(tensor.values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(tensor.values());
            out.write(bytes.array());
            return 1 + 4 + 8L * tensor.shape().length + 4L * tensor.values().length;
        }

        private long writeRgb8(Rgb8 frame) throws IOException {
            TensorRecipe r = frame.recipe();
            out.writeByte(RGB8);
            out.writeInt(frame.rows());
            out.writeInt(frame.columns());
            out.writeByte(frame.samples());
            out.writeByte(r.channels());
            out.writeBoolean(r.nchw());
            out.writeInt(r.height());
            out.writeInt(r.width());
            writeDoubles(r.mean());
            writeDoubles(r.std());
            out.write(frame.pixels());
            return 1 + 4 + 4 + 1 + 1 + 1 + 4 + 4 + 1 + 8L * r.mean().length + 1 + 8L * r.std().length + frame.pixels().length;
        }

        /** Pushes the frames written so far to the target, so a reader at its other end can start on them. */
        public void flush() throws IOException {
            out.flush();
        }

        private void writeDoubles(double[] values) throws IOException {
            out.writeByte(values.length);
            for (double v : values) {
                out.writeDouble(v);
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Reads frames in order. Not thread-safe. */
    public static final class Reader implements Closeable {
        private final DataInputStream in;
        private final int frames;

        public Reader(Path file) throws IOException {
            this(Files.newInputStream(file));
        }

        /** Reads from {@code source} (a file, or the pipe a server writes frames to as it prepares them); closes it. */
        public Reader(java.io.InputStream source) throws IOException {
            in = new DataInputStream(new BufferedInputStream(source, 1 << 16));
            if (in.readInt() != MAGIC) {
                throw new IOException("not a tensor file");
            }
            frames = in.readInt();
        }

        public int frames() {
            return frames;
        }

        public Frame next() throws IOException {
            return readFrame(in);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * The 8-bit frame that starts at {@code offset} (as {@link Writer#write} returned it); empty when the frame
     * there is a float tensor, which is left unread.
     */
    public static java.util.Optional<Rgb8> readRgb8(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
             DataInputStream in = new DataInputStream(new BufferedInputStream(
                     java.nio.channels.Channels.newInputStream(channel.position(offset)), 1 << 16))) {
            in.mark(1);
            if (in.readByte() != RGB8) {
                return java.util.Optional.empty();
            }
            in.reset();
            return java.util.Optional.of((Rgb8) readFrame(in));
        }
    }

    private static Frame readFrame(DataInputStream in) throws IOException {
        byte kind = in.readByte();
        if (kind == FLOAT32) {
            return readTensor(in);
        }
        if (kind != RGB8) {
            throw new IOException("bad frame kind " + kind);
        }
        int rows = in.readInt();
        int columns = in.readInt();
        int samples = in.readByte();
        int channels = in.readByte();
        boolean nchw = in.readBoolean();
        int height = in.readInt();
        int width = in.readInt();
        double[] mean = readDoubles(in);
        double[] std = readDoubles(in);
        if (rows <= 0 || columns <= 0 || samples != 1 && samples != 3 || (long) rows * columns * samples > Integer.MAX_VALUE
                || (long) height * width * channels > Integer.MAX_VALUE / 4) {
            throw new IOException("bad 8-bit frame " + columns + "x" + rows + "x" + samples);
        }
        TensorRecipe recipe;
        try {
            recipe = new TensorRecipe(channels, mean, std, height, width, nchw);
        } catch (IllegalArgumentException e) {
            throw new IOException("bad tensor recipe: " + e.getMessage());
        }
        byte[] pixels = in.readNBytes(rows * columns * samples);
        if (pixels.length != rows * columns * samples) {
            throw new IOException("tensor file ends inside a frame");
        }
        return new Rgb8(rows, columns, samples, pixels, recipe);
    }

    private static Tensor readTensor(DataInputStream in) throws IOException {
        int rank = in.readInt();
        if (rank < 1 || rank > 8) {
            throw new IOException("bad tensor rank " + rank);
        }
        long[] shape = new long[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = in.readLong();
            count *= shape[i];
        }
        if (count <= 0 || count > Integer.MAX_VALUE / 4) {
            throw new IOException("bad tensor size " + count);
        }
        byte[] raw = in.readNBytes((int) count * 4);
        if (raw.length != count * 4) {
            throw new IOException("tensor file ends inside a frame");
        }
        float[] values = new float[(int) count];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return new Tensor(shape, values);
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        double[] values = new double[in.readUnsignedByte()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }
}
