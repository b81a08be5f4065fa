package org.arca.ai;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Model packages for tests: a manifest and a graph zipped, plus any extra entries. */
public final class ModelZips {
    private ModelZips() {
    }

    /** A runnable package: the box filter for CT, approved-ready. */
    public static byte[] boxFilter(String name, String version) {
        return zip(boxFilterManifest(name, version, "CT", 120), OnnxGraphs.boxFilter());
    }

    /** The manifest of the box-filter model: CT, window 0..1000 HU to [0, 1], label map of bright regions. */
    public static String boxFilterManifest(String name, String version, String modality, int wallSeconds) {
        return boxFilterManifest(name, version, modality, wallSeconds, 2048);
    }

    /** The same with the private memory ({@code resources.memoryMb}) a run may use. */
    public static String boxFilterManifest(String name, String version, String modality, int wallSeconds, int memoryMb) {
        return """
                {"name": "%s", "version": "%s", "description": "Labels bright regions", "authors": ["Arca tests"],
                 "licence": "MIT", "engine": "onnxruntime", "graph": "model.onnx",
                 "input": {"modalities": ["%s"], "pixels": "modality", "window": {"center": 500, "width": 1000},
                           "channels": 1, "layout": "NCHW"},
                 "output": {"kind": "labelmap", "threshold": 0.5, "labels": ["bright"]},
                 "parameters": [{"name": "threshold", "type": "number", "default": 0.5, "min": 0, "max": 1}],
                 "resources": {"heapMb": 256, "threads": 1, "wallSeconds": %d, "memoryMb": %d}}
                """.formatted(name, version, modality, wallSeconds, memoryMb);
    }

    public static byte[] zip(String manifest, byte[] graph) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("model.json", manifest.getBytes(StandardCharsets.UTF_8));
        entries.put("model.onnx", graph);
        return zip(entries);
    }

    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
