package org.arca.ai;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Tiny ONNX graphs for tests, encoded by hand: ONNX files are protocol buffers (onnx.proto), and the few message
 * types needed here take a page, where a protobuf runtime and generated classes would take a dependency.
 */
public final class OnnxGraphs {
    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    private static final int BOOL = 9;

    private OnnxGraphs() {
    }

    /**
     * A 3×3 box filter: {@code y = conv(x, 1/9)} with zero padding, input {@code x} of shape [1, 1, H, W]. With
     * a threshold of 0.5 a pixel is labelled when at least 5 of its 9 neighbours (itself included) are 1.
     */
    public static byte[] boxFilter() {
        float[] ninth = new float[9];
        java.util.Arrays.fill(ninth, 1f / 9);
        Proto conv = node("Conv", new String[] {"x", "w"}, new String[] {"y"})
                .message(5, ints("kernel_shape", 3, 3)).message(5, ints("pads", 1, 1, 1, 1));
        Proto graph = new Proto().message(1, conv).string(2, "box-filter")
                .message(5, tensor("w", FLOAT, new long[] {1, 1, 3, 3}, floats(ninth)))
                .message(11, imageInput("x")).message(12, imageInput("y"));
        return model(graph);
    }

    /**
     * Two class scores per frame: the mean of the input {@code m} and {@code 1 - m}, output [1, 2]. On the test
     * series windowed to [0, 1] the mean is the fraction of bright pixels.
     */
    public static byte[] meanScores() {
        Proto mean = node("ReduceMean", new String[] {"x"}, new String[] {"m"})
                .message(5, ints("axes", 2, 3)).message(5, new Proto().string(1, "keepdims").varint(3, 0).varint(20, 2));
        Proto rest = node("Sub", new String[] {"one", "m"}, new String[] {"n"});
        Proto both = node("Concat", new String[] {"m", "n"}, new String[] {"s"})
                .message(5, new Proto().string(1, "axis").varint(3, 1).varint(20, 2));
        Proto graph = new Proto().message(1, mean).message(1, rest).message(1, both).string(2, "mean-scores")
                .message(5, tensor("one", FLOAT, new long[] {1}, floats(new float[] {1})))
                .message(11, imageInput("x")).message(12, valueInfo("s", FLOAT, 1, 2));
        return model(graph);
    }

    /**
     * A volume passed through unchanged: {@code y = x} for {@code x} of shape [1, 1, D, H, W]. With a threshold
     * of 0.5 a voxel is labelled where the resampled input exceeds 0.5.
     */
    public static byte[] volumeIdentity() {
        Proto graph = new Proto().message(1, node("Identity", new String[] {"x"}, new String[] {"y"}))
                .string(2, "volume-identity").message(11, volumeInput("x")).message(12, volumeInput("y"));
        return model(graph);
    }

    /** A graph that never ends: a Loop of 2^62 iterations adding 1, for the wall-time limit. */
    public static byte[] endlessLoop() {
        Proto body = new Proto().string(2, "body")
                .message(1, node("Identity", new String[] {"cond_in"}, new String[] {"cond_out"}))
                .message(1, node("Add", new String[] {"v_in", "one"}, new String[] {"v_out"}))
                .message(5, tensor("one", FLOAT, new long[] {1}, floats(new float[] {1})))
                .message(11, valueInfo("i", INT64)).message(11, valueInfo("cond_in", BOOL)).message(11, valueInfo("v_in", FLOAT, 1))
                .message(12, valueInfo("cond_out", BOOL)).message(12, valueInfo("v_out", FLOAT, 1));
        Proto loop = node("Loop", new String[] {"m", "c", "v0"}, new String[] {"v"})
                .message(5, new Proto().string(1, "body").message(6, body).varint(20, 5));
        Proto graph = new Proto().message(1, loop).string(2, "endless")
                .message(5, tensor("m", INT64, new long[] {}, longs(1L << 62)))
                .message(5, tensor("c", BOOL, new long[] {}, new byte[] {1}))
                .message(5, tensor("v0", FLOAT, new long[] {1}, floats(new float[] {0})))
                .message(11, imageInput("x")).message(12, valueInfo("v", FLOAT, 1));
        return model(graph);
    }

    /**
     * The box filter, stuck on a frame that is bright all over: beside {@code y} it computes {@code v}, a Loop of
     * 2^62 iterations on such a frame and of none on any other. For a worker that hangs part-way through a series.
     */
    public static byte[] boxFilterStuckOnFullFrames() {
        float[] ninth = new float[9];
        java.util.Arrays.fill(ninth, 1f / 9);
        Proto conv = node("Conv", new String[] {"x", "w"}, new String[] {"y"})
                .message(5, ints("kernel_shape", 3, 3)).message(5, ints("pads", 1, 1, 1, 1));
        Proto min = node("ReduceMin", new String[] {"x"}, new String[] {"lowest"})
                .message(5, ints("axes", 0, 1, 2, 3)).message(5, new Proto().string(1, "keepdims").varint(3, 0).varint(20, 2));
        Proto full = node("Greater", new String[] {"lowest", "half"}, new String[] {"full"});
        Proto count = node("Cast", new String[] {"full"}, new String[] {"once"})
                .message(5, new Proto().string(1, "to").varint(3, INT64).varint(20, 2));
        Proto trips = node("Mul", new String[] {"once", "many"}, new String[] {"m"});
        Proto body = new Proto().string(2, "body")
                .message(1, node("Identity", new String[] {"cond_in"}, new String[] {"cond_out"}))
                .message(1, node("Add", new String[] {"v_in", "one"}, new String[] {"v_out"}))
                .message(5, tensor("one", FLOAT, new long[] {1}, floats(new float[] {1})))
                .message(11, valueInfo("i", INT64)).message(11, valueInfo("cond_in", BOOL)).message(11, valueInfo("v_in", FLOAT, 1))
                .message(12, valueInfo("cond_out", BOOL)).message(12, valueInfo("v_out", FLOAT, 1));
        Proto loop = node("Loop", new String[] {"m", "c", "v0"}, new String[] {"v"})
                .message(5, new Proto().string(1, "body").message(6, body).varint(20, 5));
        Proto graph = new Proto().message(1, conv).message(1, min).message(1, full).message(1, count).message(1, trips)
                .message(1, loop).string(2, "stuck-on-full-frames")
                .message(5, tensor("w", FLOAT, new long[] {1, 1, 3, 3}, floats(ninth)))
                .message(5, tensor("half", FLOAT, new long[] {}, floats(new float[] {0.5f})))
                .message(5, tensor("many", INT64, new long[] {}, longs(1L << 62)))
                .message(5, tensor("c", BOOL, new long[] {}, new byte[] {1}))
                .message(5, tensor("v0", FLOAT, new long[] {1}, floats(new float[] {0})))
                .message(11, imageInput("x")).message(12, imageInput("y")).message(12, valueInfo("v", FLOAT, 1));
        return model(graph);
    }

    /**
     * A graph that asks for far more memory than any test allows: ConstantOfShape of 30,000 × 30,000 floats
     * (3.6 GB), ignoring its input. For the memory limit; it must fail to allocate, not take the machine.
     */
    public static byte[] memoryHog() {
        Proto fill = node("ConstantOfShape", new String[] {"shape"}, new String[] {"y"});
        Proto graph = new Proto().message(1, fill).string(2, "memory-hog")
                .message(5, tensor("shape", INT64, new long[] {4}, longs(1, 1, 30_000, 30_000)))
                .message(11, imageInput("x")).message(12, imageInput("y"));
        return model(graph);
    }

    /**
     * The box filter with its weights stored "externally" at {@code location} (ONNX's external data): a graph
     * that tries to read a file of the machine it runs on as a tensor, and so to carry it out in its results.
     */
    public static byte[] boxFilterWithExternalWeights(String location) {
        Proto conv = node("Conv", new String[] {"x", "w"}, new String[] {"y"})
                .message(5, ints("kernel_shape", 3, 3)).message(5, ints("pads", 1, 1, 1, 1));
        Proto weights = new Proto().varint(1, 1).varint(1, 1).varint(1, 3).varint(1, 3).varint(2, FLOAT).string(8, "w")
                .message(13, new Proto().string(1, "location").string(2, location))
                .message(13, new Proto().string(1, "offset").string(2, "0"))
                .message(13, new Proto().string(1, "length").string(2, "36"))
                .varint(14, 1);
        Proto graph = new Proto().message(1, conv).string(2, "box-filter-external")
                .message(5, weights)
                .message(11, imageInput("x")).message(12, imageInput("y"));
        return model(graph);
    }

    private static byte[] model(Proto graph) {
        Proto opset = new Proto().string(1, "").varint(2, 13);
        return new Proto().varint(1, 8).string(2, "arca-tests").message(7, graph).message(8, opset).bytes();
    }

    private static Proto node(String op, String[] inputs, String[] outputs) {
        Proto n = new Proto();
        for (String i : inputs) {
            n.string(1, i);
        }
        for (String o : outputs) {
            n.string(2, o);
        }
        return n.string(3, op + "_0").string(4, op);
    }

    private static Proto ints(String name, long... values) {
        Proto a = new Proto().string(1, name);
        for (long v : values) {
            a.varint(8, v);
        }
        return a.varint(20, 7);
    }

    private static Proto tensor(String name, int type, long[] dims, byte[] raw) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        return t.varint(2, type).string(8, name).field(9, raw);
    }

    /** A float tensor [1, 1, H, W] with symbolic H and W. */
    private static Proto imageInput(String name) {
        Proto shape = new Proto().message(1, new Proto().varint(1, 1)).message(1, new Proto().varint(1, 1))
                .message(1, new Proto().string(2, "H")).message(1, new Proto().string(2, "W"));
        return new Proto().string(1, name).message(2, new Proto().message(1, new Proto().varint(1, FLOAT).message(2, shape)));
    }

    /** A float tensor [1, 1, D, H, W] with symbolic D, H and W. */
    private static Proto volumeInput(String name) {
        Proto shape = new Proto().message(1, new Proto().varint(1, 1)).message(1, new Proto().varint(1, 1))
                .message(1, new Proto().string(2, "D")).message(1, new Proto().string(2, "H"))
                .message(1, new Proto().string(2, "W"));
        return new Proto().string(1, name).message(2, new Proto().message(1, new Proto().varint(1, FLOAT).message(2, shape)));
    }

    /** A tensor of fixed shape; no dimensions is a scalar. */
    private static Proto valueInfo(String name, int type, long... dims) {
        Proto shape = new Proto();
        for (long d : dims) {
            shape.message(1, new Proto().varint(1, d));
        }
        return new Proto().string(1, name).message(2, new Proto().message(1, new Proto().varint(1, type).message(2, shape)));
    }

    private static byte[] floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static byte[] longs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    /** A protobuf message being written: fields in order, varints and length-delimited values only. */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            raw((long) field << 3);
            raw(value);
            return this;
        }

        Proto field(int field, byte[] value) {
            raw((long) field << 3 | 2);
            raw(value.length);
            out.writeBytes(value);
            return this;
        }

        Proto string(int field, String value) {
            return field(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto value) {
            return field(field, value.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
