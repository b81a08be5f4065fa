package org.arca.preview;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.sax.BodyContentHandler;

/**
 * The entry point of the worker process that runs Tika on one file, so a hostile or broken file that hangs
 * a parser or exhausts memory takes down only this process. Arguments: input file, output file, maximum
 * characters. The output's first line is {@code ok <media type>} followed by the text, or
 * {@code failed <reason>}; the exit code is 0 either way, anything else means the process itself died.
 */
public final class ExtractionWorker {

    private ExtractionWorker() {
    }

    public static void main(String[] args) throws Exception {
        // Parsers print to stdout and stderr; the parent reads only the output file.
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        System.setOut(quiet);
        Path input = Path.of(args[0]);
        Path output = Path.of(args[1]);
        int maxChars = Integer.parseInt(args[2]);
        Files.writeString(output, extract(input, maxChars), StandardCharsets.UTF_8);
        System.exit(0);
    }

    static String extract(Path input, int maxChars) {
        BodyContentHandler handler = new BodyContentHandler(maxChars);
        Metadata metadata = new Metadata();
        try (InputStream in = TikaInputStream.get(input)) {
            new AutoDetectParser().parse(in, handler, metadata, new ParseContext());
        } catch (EncryptedDocumentException e) {
            return "failed the file is encrypted";
        } catch (Exception e) {
            if (!WriteLimitReachedException.isWriteLimitReached(e)) {
                return "failed " + reason(e);
            }
        }
        String type = metadata.get(Metadata.CONTENT_TYPE);
        return "ok " + (type == null ? "application/octet-stream" : type.replace('\n', ' ')) + "\n" + handler;
    }

    /** The exception's kind and first line: enough to tell a user why, without the file's contents. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage().lines().findFirst().orElse("");
        String reason = "unreadable (" + root.getClass().getSimpleName() + message + ")";
        return reason.length() > 300 ? reason.substring(0, 300) : reason;
    }
}
