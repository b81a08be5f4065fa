package org.arca.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A valid model package for web tests: a 3×3 box filter (one ONNX Conv node, protobuf bytes written here) for CT,
 * labelling bright regions. The runtime's own tests cover what it computes; these need a package that runs.
 */
public final class AiPackages {
    private AiPackages() {
    }

    public static byte[] boxFilter(String name, String version) {
        String manifest = """
                {"name": "%s", "version": "%s", "licence": "MIT", "description": "Bright regions",
                 "input": {"modalities": ["CT"], "window": {"center": 500, "width": 1000}},
                 "output": {"kind": "labelmap", "threshold": 0.5, "labels": ["bright"]},
                 "resources": {"heapMb": 256, "threads": 1, "wallSeconds": 120}}
                """.formatted(name, version);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("model.json"));
            zip.write(manifest.getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("model.onnx"));
            zip.write(graph());
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** ModelProto{ir_version 8, graph{Conv(x, w) -> y, w = 1/9}, opset 13}, field by field as onnx.proto numbers them. */
    static byte[] graph() {
        ByteBuffer w = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 9; i++) {
            w.putFloat(1f / 9);
        }
        byte[] kernel = msg(str(1, "kernel_shape"), varint(8, 3), varint(8, 3), varint(20, 7));
        byte[] pads = msg(str(1, "pads"), varint(8, 1), varint(8, 1), varint(8, 1), varint(8, 1), varint(20, 7));
        byte[] node = msg(str(1, "x"), str(1, "w"), str(2, "y"), str(4, "Conv"), field(5, kernel), field(5, pads));
        byte[] weights = msg(varint(1, 1), varint(1, 1), varint(1, 3), varint(1, 3), varint(2, 1), str(8, "w"),
                field(9, w.array()));
        byte[] shape = msg(field(1, varint(1, 1)), field(1, varint(1, 1)), field(1, str(2, "H")), field(1, str(2, "W")));
        byte[] type = field(2, field(1, msg(varint(1, 1), field(2, shape))));
        byte[] graph = msg(field(1, node), str(2, "box"), field(5, weights), field(11, msg(str(1, "x"), type)),
                field(12, msg(str(1, "y"), type)));
        return msg(varint(1, 8), field(7, graph), field(8, msg(str(1, ""), varint(2, 13))));
    }

    private static byte[] msg(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] varint(int field, long value) {
        return msg(raw((long) field << 3), raw(value));
    }

    private static byte[] field(int field, byte[] value) {
        return msg(raw((long) field << 3 | 2), raw(value.length), value);
    }

    private static byte[] str(int field, String s) {
        return field(field, s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] raw(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }
}
