package org.arca.ai.worker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file of prepared input tensors the server hands a worker: a count of frames, then per frame its
 * shape (N=1 and three more dimensions in the model's layout) and its float32 values. A plain format of our
 * own, so the worker needs no parser library and streams one frame at a time instead of holding a series.
 */
public final class TensorFile {
    private static final int MAGIC = 0x41524354; // "ARCT"

    private TensorFile() {
    }

    /** One frame's tensor: shape {@code [1, d1, d2, d3]} and values in row-major order. */
    public record Tensor(long[] shape, float[] values) {
    }

    /** Writes frames as they are prepared; close after the last. */
    public static final class Writer implements Closeable {
        private final DataOutputStream out;

        public Writer(Path file, int frames) throws IOException {
            out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
            out.writeInt(MAGIC);
            out.writeInt(frames);
        }

        public void write(Tensor tensor) throws IOException {
            out.writeInt(tensor.shape().length);
            for (long d : tensor.shape()) {
                out.writeLong(d);
            }
            ByteBuffer bytes = ByteBuffer.allocate(tensor.values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(tensor.values());
            out.write(bytes.array());
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Reads frames in order. */
    public static final class Reader implements Closeable {
        private final DataInputStream in;
        private final int frames;

        public Reader(Path file) throws IOException {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
            if (in.readInt() != MAGIC) {
                throw new IOException("not a tensor file");
            }
            frames = in.readInt();
        }

        public int frames() {
            return frames;
        }

        public Tensor next() throws IOException {
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
            float[] values = new float[(int) count];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return new Tensor(shape, values);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
