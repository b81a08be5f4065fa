package org.arca.preview;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.arca.core.FileKind;

/**
 * The entry point of the worker process that makes one preview, so that a hostile file which hangs PDFBox,
 * POI or ImageIO, or makes them exhaust memory, costs only this process. Arguments: {@code describe KIND
 * INPUT OUTPUT} writes the preview's JSON; {@code page KIND INPUT OUTPUT N} writes page N as PNG. A file that
 * cannot be previewed writes {@code {"kind":"none","reason":...}} to OUTPUT with the extension {@code .none}.
 */
public final class PreviewWorker {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PreviewWorker() {
    }

    public static void main(String[] args) throws Exception {
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        String mode = args[0];
        FileKind kind = FileKind.valueOf(args[1]);
        Path input = Path.of(args[2]);
        Path output = Path.of(args[3]);
        try {
            if (mode.equals("page")) {
                page(kind, input, output, Integer.parseInt(args[4]));
            } else {
                JSON.writeValue(output.toFile(), describe(kind, input));
            }
        } catch (PreviewException e) {
            none(output, e.getMessage());
        } catch (Exception e) {
            none(output, "The file could not be read for a preview.");
        }
        System.exit(0);
    }

    private static void none(Path output, String reason) throws java.io.IOException {
        Map<String, Object> none = new LinkedHashMap<>();
        none.put("kind", "none");
        none.put("reason", reason);
        Files.write(output.resolveSibling(output.getFileName() + ".none"), JSON.writeValueAsBytes(none));
    }

    static Map<String, Object> describe(FileKind kind, Path input) throws Exception {
        return switch (kind) {
            case PDF -> pages(PdfPages.count(input));
            case IMAGE -> pages(1);
            case TEXT -> TextPreview.head(input);
            case ARCHIVE -> ArchiveListing.list(input);
            case SPREADSHEET -> spreadsheet(input);
            case DOCUMENT, PRESENTATION -> OfficeHtml.render(input);
            default -> throw new PreviewException("There is no preview for this kind of file.");
        };
    }

    private static Map<String, Object> spreadsheet(Path input) throws Exception {
        byte[] head = new byte[8];
        try (var in = Files.newInputStream(input)) {
            in.readNBytes(head, 0, 8);
        }
        boolean zip = head[0] == 'P' && head[1] == 'K';
        boolean ole = (head[0] & 0xff) == 0xD0 && (head[1] & 0xff) == 0xCF;
        if (zip || ole) {
            try {
                return TablePreview.workbook(input);
            } catch (PreviewException e) {
                throw e;
            } catch (Exception e) {
                return OfficeHtml.render(input); // an ODS, or a workbook POI cannot read: its text at least
            }
        }
        return TablePreview.delimited(input, sniffDelimiter(input));
    }

    /** Tabs in the first line make it TSV; else commas, else semicolons (European CSV). */
    private static char sniffDelimiter(Path input) throws java.io.IOException {
        String first;
        try (var reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            first = reader.readLine();
        } catch (java.nio.charset.MalformedInputException e) {
            throw new PreviewException("The file is not UTF-8 delimited text.");
        }
        if (first == null) {
            return ',';
        }
        if (first.indexOf('\t') >= 0) {
            return '\t';
        }
        return first.indexOf(',') < 0 && first.indexOf(';') >= 0 ? ';' : ',';
    }

    private static Map<String, Object> pages(int count) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("kind", "pages");
        result.put("pages", count);
        return result;
    }

    private static void page(FileKind kind, Path input, Path png, int page) throws Exception {
        if (kind == FileKind.PDF) {
            PdfPages.render(input, page, png);
        } else if (kind == FileKind.IMAGE && page == 1) {
            ImageScaler.scale(input, png);
        } else {
            throw new PreviewException("There is no page " + page + " of this file.");
        }
    }
}
