package org.arca.ai;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Proves that an ONNX graph holds all its tensors itself. ONNX lets a tensor's bytes live in an "external data"
 * file named by a path, and ONNX Runtime (1.21 at least) follows such a path wherever it points, absolute or up
 * through {@code ..}: a submitted graph could read a file of the machine it runs on into a tensor and carry it
 * out in its results. Arca's packages ship only the graph, so no legitimate model needs external data, and any
 * tensor that asks for it is refused.
 *
 * <p>The check walks the protobuf wire format along every path on which onnx.proto can hold a tensor: the main
 * graph's initializers and sparse initializers, node attributes (tensors, sparse tensors and subgraphs, so the
 * bodies of If, Loop and Scan), model-local functions and training graphs. Nesting deeper than {@link #MAX_DEPTH}
 * is refused rather than followed, so a crafted file cannot exhaust the stack.
 */
final class SelfContainedGraph {
    static final int MAX_DEPTH = 64;

    private enum Kind { MODEL, GRAPH, NODE, ATTRIBUTE, FUNCTION, TRAINING, SPARSE, TENSOR }

    private SelfContainedGraph() {
    }

    /**
     * What stands against running a graph: {@code external} when a tensor asks for an external file (refused at
     * submission), otherwise bytes this walk cannot parse (left to ONNX Runtime's judgement at submission, but
     * never handed to it: a job stops before its worker starts).
     */
    record Problem(boolean external, String text) {
    }

    /** Why the graph file is not self-contained or not parseable, or empty when it is fine. */
    static Optional<Problem> problem(Path graph) throws IOException {
        try (FileChannel channel = FileChannel.open(graph, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                return Optional.of(new Problem(false, "the graph is larger than 2 GB, which ONNX's format does not allow"));
            }
            ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            return Optional.ofNullable(walk(bytes, Kind.MODEL, 0)).map(text -> new Problem(true, text));
        } catch (MalformedGraph e) {
            return Optional.of(new Problem(false, "the graph is not a valid ONNX file (" + e.getMessage() + ")"));
        }
    }

    private static String walk(ByteBuffer message, Kind kind, int depth) {
        if (depth > MAX_DEPTH) {
            throw new MalformedGraph("it nests messages more than " + MAX_DEPTH + " deep");
        }
        String tensorName = null;
        while (message.hasRemaining()) {
            long key = varint(message);
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (wire == 2) {
                int length = (int) Math.min(varint(message), Integer.MAX_VALUE);
                if (length < 0 || length > message.remaining()) {
                    throw new MalformedGraph("a field runs past the end");
                }
                ByteBuffer value = message.slice(message.position(), length);
                message.position(message.position() + length);
                if (kind == Kind.TENSOR && field == 8) {
                    tensorName = new String(bytes(value), java.nio.charset.StandardCharsets.UTF_8);
                } else if (kind == Kind.TENSOR && field == 13) {
                    return "tensor '" + (tensorName == null ? "?" : tensorName) + "' keeps its data in an external file";
                } else {
                    Kind child = child(kind, field);
                    if (child != null) {
                        String problem = walk(value, child, depth + 1);
                        if (problem != null) {
                            return problem;
                        }
                    }
                }
            } else if (wire == 0) {
                long value = varint(message);
                if (kind == Kind.TENSOR && field == 14 && value != 0) {
                    return "tensor '" + (tensorName == null ? "?" : tensorName) + "' keeps its data in an external file";
                }
            } else if (wire == 1) {
                skip(message, 8);
            } else if (wire == 5) {
                skip(message, 4);
            } else {
                throw new MalformedGraph("unknown wire type " + wire);
            }
        }
        return null;
    }

    /** Which fields of which message hold a message that can contain a tensor (field numbers from onnx.proto). */
    private static Kind child(Kind parent, int field) {
        return switch (parent) {
            case MODEL -> field == 7 ? Kind.GRAPH : field == 25 ? Kind.FUNCTION : field == 20 ? Kind.TRAINING : null;
            case TRAINING -> field == 1 || field == 2 ? Kind.GRAPH : null;
            case GRAPH -> field == 1 ? Kind.NODE : field == 5 ? Kind.TENSOR : field == 15 ? Kind.SPARSE : null;
            case NODE -> field == 5 ? Kind.ATTRIBUTE : null;
            case FUNCTION -> field == 7 ? Kind.NODE : field == 11 ? Kind.ATTRIBUTE : null;
            case ATTRIBUTE -> switch (field) {
                case 5, 10 -> Kind.TENSOR;
                case 6, 11 -> Kind.GRAPH;
                case 22, 23 -> Kind.SPARSE;
                default -> null;
            };
            case SPARSE -> field == 1 || field == 2 ? Kind.TENSOR : null;
            case TENSOR -> null;
        };
    }

    private static long varint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!in.hasRemaining()) {
                throw new MalformedGraph("a number runs past the end");
            }
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new MalformedGraph("a number is too long");
    }

    private static void skip(ByteBuffer in, int n) {
        if (in.remaining() < n) {
            throw new MalformedGraph("a field runs past the end");
        }
        in.position(in.position() + n);
    }

    private static byte[] bytes(ByteBuffer value) {
        byte[] out = new byte[Math.min(value.remaining(), 200)];
        value.duplicate().get(out);
        return out;
    }

    private static final class MalformedGraph extends RuntimeException {
        MalformedGraph(String message) {
            super(message, null, false, false);
        }
    }
}
