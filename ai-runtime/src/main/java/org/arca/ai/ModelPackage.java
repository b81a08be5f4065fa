package org.arca.ai;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.arca.core.ArcaException;

/**
 * A model package: a ZIP holding {@code model.json}, the graph it names, and optionally label and readme files.
 * Anything that could be code (classes, jars, scripts, native libraries, serving configuration) is refused
 * outright, so nothing in a package can ever be loaded as code, whatever a library might look for.
 */
final class ModelPackage {
    private static final List<String> ALLOWED_SUFFIXES = List.of(".json", ".onnx", ".txt", ".md", ".csv");
    private static final long MAX_MANIFEST = 64 * 1024;

    private ModelPackage() {
    }

    /** Validates a package file and returns its manifest; the graph's presence is checked too. */
    static ModelManifest read(Path zip) {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            List<String> refused = new ArrayList<>();
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String n = e.getName();
                if (e.isDirectory() || n.contains("/") || n.contains("\\")
                        || ALLOWED_SUFFIXES.stream().noneMatch(s -> n.toLowerCase(Locale.ROOT).endsWith(s))) {
                    refused.add(n);
                }
            }
            if (!refused.isEmpty()) {
                throw ArcaException.invalid("not_a_model_package", "A model package holds model.json, the .onnx graph and "
                        + "label or readme files at its top level only; refused: " + String.join(", ", refused.subList(0,
                        Math.min(10, refused.size()))) + ".");
            }
            ZipEntry manifestEntry = file.getEntry("model.json");
            if (manifestEntry == null) {
                throw ArcaException.invalid("not_a_model_package", "The ZIP has no model.json at its top level.");
            }
            byte[] json;
            try (InputStream in = file.getInputStream(manifestEntry)) {
                json = in.readNBytes((int) MAX_MANIFEST + 1);
            }
            if (json.length > MAX_MANIFEST) {
                throw ArcaException.invalid("invalid_manifest", "model.json is larger than 64 KiB.");
            }
            ModelManifest manifest = ManifestParser.parse(json);
            ZipEntry graph = file.getEntry(manifest.graph());
            if (graph == null) {
                throw ArcaException.invalid("invalid_manifest", "model.json names the graph " + manifest.graph()
                        + ", which the package does not hold.");
            }
            requireSelfContained(file, graph);
            return manifest;
        } catch (ZipException e) {
            throw ArcaException.invalid("not_a_model_package", "The body is not a ZIP file.");
        } catch (IOException e) {
            throw new ArcaException(ArcaException.Kind.INVALID, "not_a_model_package", "The package could not be read.", e);
        }
    }

    /** Refuses a graph whose tensors point at external files: see {@link SelfContainedGraph}. */
    private static void requireSelfContained(ZipFile file, ZipEntry graph) throws IOException {
        Path copy = java.nio.file.Files.createTempFile("arca-graph-", ".onnx");
        try {
            try (InputStream in = file.getInputStream(graph)) {
                java.nio.file.Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            var problem = SelfContainedGraph.problem(copy);
            if (problem.isPresent() && problem.get().external()) {
                throw ArcaException.invalid("invalid_graph", "The graph is refused: " + problem.get().text()
                        + ". Arca runs only graphs that hold all their tensors; save the model without external data.");
            }
        } finally {
            java.nio.file.Files.deleteIfExists(copy);
        }
    }

    /** Copies the graph out of a package into {@code target}. */
    static void extractGraph(Path zip, String graph, Path target) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile()); InputStream in = file.getInputStream(file.getEntry(graph))) {
            java.nio.file.Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
