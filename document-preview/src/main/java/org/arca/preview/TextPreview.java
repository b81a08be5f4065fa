package org.arca.preview;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The beginning of a text file (plain text, Markdown, JSON, XML, logs) as text, without parsing it, so an
 * XML entity bomb is shown as the characters it is. Reads at most {@link #MAX_BYTES}.
 */
final class TextPreview {
    static final int MAX_BYTES = 256 * 1024;

    private TextPreview() {
    }

    static Map<String, Object> head(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        boolean truncated = bytes.length > MAX_BYTES;
        int length = Math.min(bytes.length, MAX_BYTES);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer text = CharBuffer.allocate(length + 1);
        // A cut in the middle of a multi-byte character at the end is not an error of the file.
        utf8.decode(ByteBuffer.wrap(bytes, 0, length), text, true);
        text.flip();
        String shown = text.toString();
        if (shown.chars().limit(4096).filter(c -> c == 0).count() > 0) {
            throw new PreviewException("This file is binary, not text.");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("kind", "text");
        result.put("text", shown);
        result.put("truncated", truncated);
        return result;
    }
}
