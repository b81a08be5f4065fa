package org.arca.preview;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Recognises bytes that hold no words for Tika from their first few kilobytes, without parsing them: binary
 * data (NUL bytes, which text in UTF-8 or any single-byte encoding never has) that does not start as a format
 * Tika reads text from. Instrument dumps, raw arrays and encrypted blobs are such files; handing each to an
 * extraction worker costs a JVM start for nothing, and a folder of ten thousand of them kept a processor busy
 * for as long as they took. Only files whose name and media type say nothing ({@code FileKind.OTHER}) are asked.
 */
final class TextlessBinary {
    private static final int PREFIX = 4096;
    /** Starts of formats with text in them, or that Tika unpacks to find some (containers, compressed streams). */
    private static final List<byte[]> WORDY_STARTS = List.of(
            bytes('%', 'P', 'D', 'F'), // PDF
            bytes('P', 'K', 3, 4), bytes('P', 'K', 5, 6), // ZIP, and so DOCX, XLSX, PPTX, ODF, EPUB
            bytes(0xD0, 0xCF, 0x11, 0xE0), // OLE2: DOC, XLS, PPT, MSG
            bytes('{', '\\', 'r', 't', 'f'), // RTF
            bytes(0xFF, 0xFE), bytes(0xFE, 0xFF), // UTF-16 text with a byte order mark
            bytes(0x1F, 0x8B), bytes('B', 'Z', 'h'), bytes(0xFD, '7', 'z', 'X', 'Z'), // gzip, bzip2, xz
            bytes('7', 'z', 0xBC, 0xAF), bytes('R', 'a', 'r', '!')); // 7-Zip, RAR

    private TextlessBinary() {
    }

    static boolean is(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(PREFIX);
        }
        for (byte[] start : WORDY_STARTS) {
            if (head.length >= start.length && Arrays.equals(head, 0, start.length, start, 0, start.length)) {
                return false;
            }
        }
        // A tar archive says so at byte 257, past anything a NUL check would spare it.
        if (head.length > 262 && Arrays.equals(head, 257, 262, bytes('u', 's', 't', 'a', 'r'), 0, 5)) {
            return false;
        }
        for (byte b : head) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
