package org.arca.dicom;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.arca.dicom.image.FrameRenderer;
import org.arca.dicom.image.Window;

/**
 * The codec's two command line entry points, for {@code arca dicom json} and {@code arca dicom
 * render}: plain static methods the launcher calls with parsed arguments.
 */
public final class DicomCommands {
    private DicomCommands() {
    }

    /** Prints a file's DICOM JSON (PS3.18 Annex F, every value inline, meta group left out). */
    public static void printJson(Path file, PrintStream out) throws IOException {
        DicomFile f = DicomReader.read(file);
        DicomJson.write(f.dataset(), (OutputStream) out, DicomJson.Options.INLINE.withPretty(true));
        out.println();
        out.flush();
    }

    /**
     * Renders frame {@code frame} (0-based) of a file to a PNG file, with the given window, or the
     * object's own window when {@code center} or {@code width} is null.
     */
    public static void renderPng(Path file, int frame, Double center, Double width, Path png) throws IOException {
        Optional<Window> window = center != null && width != null ? Optional.of(new Window(center, width)) : Optional.empty();
        var img = FrameRenderer.render(file, frame, window);
        try (OutputStream out = Files.newOutputStream(png)) {
            FrameRenderer.writePng(img, out);
        }
    }
}
