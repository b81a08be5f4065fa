package org.arca.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Installs the prebuilt OHIF viewer, npm package {@code @ohif/app}, into a folder for Arca to serve at
 * {@code /ohif/}: reads the version's registry metadata, downloads its tarball, checks it against the
 * metadata's sha512 integrity, and unpacks {@code package/dist/} only. The new viewer is unpacked next to the
 * folder and moved into place at the end, so a failed install leaves the old one as it was. Entries that would
 * land outside the folder, and links, are refused. One install at a time per folder.
 */
final class ViewerInstall {

    /** The viewer version Arca's app-config.js and public-path rewriting were checked with. */
    static final String DEFAULT_VERSION = "3.13.2";
    static final URI NPM_REGISTRY = NpmRegistry.PUBLIC;
    private static final String PACKAGE = "@ohif/app";
    private static final String DIST = "package/dist/";

    private final NpmRegistry npm;

    ViewerInstall(URI registry) {
        this.npm = new NpmRegistry(registry);
    }

    /** What was installed. */
    record Installed(String version, Path dir, int files, long bytes) {
    }

    Installed install(String version, Path dir) throws IOException, InterruptedException {
        if (!version.matches("[0-9A-Za-z.+-]+")) {
            throw new IllegalArgumentException("not a package version: '" + version + "'");
        }
        Path target = dir.toAbsolutePath().normalize();
        Files.createDirectories(target.getParent());
        Path download = Files.createTempFile(target.getParent(), ".ohif-", ".tgz");
        Path staging = target.resolveSibling(target.getFileName() + ".installing");
        Path previous = target.resolveSibling(target.getFileName() + ".previous");
        try {
            npm.download(PACKAGE, version, download);
            deleteTree(staging);
            Files.createDirectories(staging);
            Installed unpacked = unpack(download, staging, version);
            deleteTree(previous);
            if (Files.exists(target)) {
                Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(previous);
            return new Installed(version, target, unpacked.files(), unpacked.bytes());
        } finally {
            Files.deleteIfExists(download);
            deleteTree(staging);
        }
    }

    /** Unpacks the {@code package/dist/} entries of a .tgz into {@code into}; refuses any entry that would leave it. */
    static Installed unpack(Path tgz, Path into, String version) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        int files = 0;
        long bytes = 0;
        try (InputStream raw = Files.newInputStream(tgz);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName();
                if (!name.startsWith(DIST)) {
                    continue;
                }
                String relative = name.substring(DIST.length());
                Path target = root.resolve(relative).normalize();
                if (relative.startsWith("/") || relative.contains("\\") || !target.startsWith(root)) {
                    throw new IOException("refusing the tarball entry '" + name + "': it would be written outside " + root);
                }
                if (entry.isSymbolicLink() || entry.isLink()) {
                    throw new IOException("refusing the tarball entry '" + name + "': the viewer has no business with links");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isFile() && !target.equals(root)) {
                    Files.createDirectories(target.getParent());
                    bytes += Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    files++;
                }
            }
        }
        if (!Files.isRegularFile(root.resolve("index.html"))) {
            throw new IOException("the package has no " + DIST + "index.html: not a prebuilt OHIF viewer");
        }
        return new Installed(version, root, files, bytes);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
