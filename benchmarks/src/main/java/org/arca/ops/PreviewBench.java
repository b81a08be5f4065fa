package org.arca.ops;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.arca.core.FileKind;
import org.arca.core.StoredFile;
import org.arca.preview.OfficeConverter;
import org.arca.preview.PreviewLimits;
import org.arca.preview.Previews;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arca bench preview}: how long a user waits for the first page of a preview (the description and
 * page 1, as the portal asks them) of a 20-page DOCX with LibreOffice and without it (sanitised HTML), and of
 * a 50-page PDF, each from an empty cache; then the same requests answered from the cache. Uses the
 * previews exactly as the server wires them (worker processes, at most two at a time). Prints, never asserts.
 */
@Command(name = "preview", description = "Benchmark first and cached previews of DOCX (with and without LibreOffice) and PDF.")
final class PreviewBench implements Callable<Integer> {

    @Option(names = "--dir", description = "Scratch folder (default: a temporary folder)")
    Path dir;
    @Option(names = "--runs", defaultValue = "3", description = "First previews timed per document, each from an empty cache")
    int runs;
    @Option(names = "--cached", defaultValue = "200", description = "Cached previews timed per document")
    int cachedRuns;

    @Override
    public Integer call() throws Exception {
        Path scratch = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("arca-preview-bench-");
        Path docx = write(scratch, docx(20));
        Path pdf = write(scratch, pdf(50));
        OfficeConverter office = OfficeConverter.detect(Duration.ofSeconds(120));
        if (office.available()) {
            measure(scratch, "20-page DOCX, LibreOffice", docx, "bench.docx", FileKind.DOCUMENT, office);
        } else {
            System.out.println("20-page DOCX, LibreOffice: skipped, soffice is not installed");
        }
        measure(scratch, "20-page DOCX, HTML", docx, "bench.docx", FileKind.DOCUMENT, OfficeConverter.none());
        measure(scratch, "50-page PDF", pdf, "bench.pdf", FileKind.PDF, OfficeConverter.none());
        return 0;
    }

    private void measure(Path scratch, String what, Path blob, String name, FileKind kind, OfficeConverter office)
            throws Exception {
        StoredFile file = new StoredFile("bench", "bench", name, Files.size(blob), null, blob.getFileName().toString(), Instant.now());
        double[] first = new double[runs];
        Previews previews = null;
        // As the server runs them: the work folder inside a folder the helpers cannot see. Probed here, not timed.
        org.arca.core.Sandbox sandbox = org.arca.core.Sandbox.hiding(java.util.List.of(scratch));
        sandbox.isolation();
        for (int i = 0; i < runs; i++) {
            Path run = scratch.resolve(what.replaceAll("\\W+", "-") + "-" + i);
            previews = new Previews(run.resolve("cache"), run.resolve("work"),
                    new PreviewLimits(Duration.ofSeconds(120), 512, 1L << 30), office, sandbox);
            long start = System.nanoTime();
            Previews.Result described = previews.describe(file, kind, blob);
            Previews.Result page = describesPages(described) ? previews.page(file, kind, blob, 1) : described;
            first[i] = (System.nanoTime() - start) / 1e6;
            if (i == 0) {
                System.out.printf(Locale.ROOT, "%s: answers %s%n", what, summary(described, page));
            }
        }
        double[] cached = new double[cachedRuns];
        for (int i = 0; i < cachedRuns; i++) {
            long start = System.nanoTime();
            Previews.Result described = previews.describe(file, kind, blob);
            if (describesPages(described)) {
                previews.page(file, kind, blob, 1);
            }
            cached[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(first);
        Arrays.sort(cached);
        System.out.printf(Locale.ROOT, "%s: first preview (description + page 1) median %.0f ms, min %.0f, max %.0f over %d runs; "
                        + "cached p50 %.2f ms, p95 %.2f ms over %d%n", what, first[runs / 2], first[0], first[runs - 1], runs,
                cached[cachedRuns / 2], cached[(int) Math.ceil(cachedRuns * 0.95) - 1], cachedRuns);
    }

    private static boolean describesPages(Previews.Result result) {
        return result instanceof Previews.Result.Json json && new String(json.body()).contains("\"kind\":\"pages\"");
    }

    private static String summary(Previews.Result described, Previews.Result page) {
        String head = switch (described) {
            case Previews.Result.Json json -> new String(json.body(), 0, Math.min(40, json.body().length));
            case Previews.Result.None none -> new String(none.body());
            case Previews.Result.Png png -> "png";
        };
        return head + (page instanceof Previews.Result.Png ? " … + page 1 as PNG" : "");
    }

    /** Stored under its SHA-256, as the blob store keeps it. */
    private static Path write(Path scratch, byte[] bytes) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        return Files.write(scratch.resolve(sha), bytes);
    }

    private static byte[] docx(int pages) throws Exception {
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (int i = 1; i <= pages; i++) {
                var heading = doc.createParagraph();
                heading.setPageBreak(i > 1);
                var run = heading.createRun();
                run.setBold(true);
                run.setFontSize(18);
                run.setText("Section " + i + ": assessment of the hepatic lesions");
                for (int p = 0; p < 4; p++) {
                    doc.createParagraph().createRun().setText(("The contrast-enhanced series showed a stable lesion in segment "
                            + (p + 2) + "; the dose was reduced for the follow-up visit. ").repeat(4));
                }
                var table = doc.createTable(6, 4);
                for (int r = 0; r < 6; r++) {
                    for (int c = 0; c < 4; c++) {
                        table.getRow(r).getCell(c).setText(r == 0 ? "Visit " + (c + 1) : String.format(Locale.ROOT, "%.1f mm", 10 + r * 1.5 + c));
                    }
                }
            }
            doc.write(out);
            return out.toByteArray();
        }
    }

    private static byte[] pdf(int pages) throws Exception {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int i = 1; i <= pages; i++) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    content.beginText();
                    content.setFont(font, 11);
                    content.newLineAtOffset(72, 720);
                    for (int line = 0; line < 45; line++) {
                        content.showText("Page " + i + ", line " + line + ": the contrast-enhanced series showed a stable lesion.");
                        content.newLineAtOffset(0, -14);
                    }
                    content.endText();
                }
            }
            doc.save(out);
            return out.toByteArray();
        }
    }
}
