package org.arca.preview;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Lists the entries of a ZIP (from its central directory) or a tar, plain or gzipped (by reading headers and
 * skipping contents), with sizes, without unpacking anything to disk. At most {@link #MAX_ENTRIES} are listed.
 */
final class ArchiveListing {
    static final int MAX_ENTRIES = 2_000;

    private ArchiveListing() {
    }

    static Map<String, Object> list(Path archive) throws IOException {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(archive)) {
            in.readNBytes(head, 0, 4);
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        boolean truncated;
        if (head[0] == 'P' && head[1] == 'K') {
            truncated = zip(archive, entries);
        } else {
            truncated = tar(archive, head[0] == (byte) 0x1f && head[1] == (byte) 0x8b, entries);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("kind", "archive");
        result.put("entries", entries);
        result.put("truncated", truncated);
        return result;
    }

    private static boolean zip(Path archive, List<Map<String, Object>> entries) throws IOException {
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            Enumeration<ZipArchiveEntry> all = zip.getEntries();
            while (all.hasMoreElements()) {
                if (entries.size() == MAX_ENTRIES) {
                    return true;
                }
                ZipArchiveEntry e = all.nextElement();
                entries.add(entry(e.getName(), e.isDirectory(), e.getSize(), e.getGeneralPurposeBit().usesEncryption()));
            }
        }
        return false;
    }

    private static boolean tar(Path archive, boolean gzipped, List<Map<String, Object>> entries) throws IOException {
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
             InputStream raw = gzipped ? new GzipCompressorInputStream(file) : file;
             TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (entries.size() == MAX_ENTRIES) {
                    return true;
                }
                entries.add(entry(e.getName(), e.isDirectory(), e.getSize(), false));
            }
        } catch (IOException e) {
            if (entries.isEmpty()) {
                throw new PreviewException("This is not a ZIP or tar archive that can be read.");
            }
        }
        return false;
    }

    private static Map<String, Object> entry(String name, boolean directory, long size, boolean encrypted) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", name);
        entry.put("directory", directory);
        entry.put("size", size);
        if (encrypted) {
            entry.put("encrypted", true);
        }
        return entry;
    }
}
