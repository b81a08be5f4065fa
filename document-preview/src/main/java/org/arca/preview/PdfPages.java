package org.arca.preview;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/** Renders one page of a PDF to a PNG with PDFBox, and counts pages. Runs in the preview worker process. */
final class PdfPages {
    /** Enough for a page to read on screen; large pages are scaled to fit this width. */
    static final int MAX_WIDTH = 1200;

    private PdfPages() {
    }

    static int count(Path pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(new RandomAccessReadBufferedFile(pdf.toFile()))) {
            return doc.getNumberOfPages();
        }
    }

    /** Writes page {@code page} (1-based) as PNG; returns the number of pages. */
    static int render(Path pdf, int page, Path png) throws IOException {
        try (PDDocument doc = Loader.loadPDF(new RandomAccessReadBufferedFile(pdf.toFile()))) {
            int pages = doc.getNumberOfPages();
            if (page < 1 || page > pages) {
                throw new PreviewException("There is no page " + page + "; the document has " + pages + ".");
            }
            float width = doc.getPage(page - 1).getMediaBox().getWidth();
            float scale = Math.min(2f, MAX_WIDTH / Math.max(1f, width));
            BufferedImage image = new PDFRenderer(doc).renderImage(page - 1, scale, ImageType.RGB);
            ImageIO.write(image, "png", png.toFile());
            return pages;
        }
    }
}
