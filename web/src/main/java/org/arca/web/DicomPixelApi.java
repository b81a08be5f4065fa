package org.arca.web;

import static org.arca.web.Route.Audience.ANYONE;

import io.javalin.http.Context;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.arca.core.ArcaException;
import org.arca.core.Repository;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.DicomReader;
import org.arca.dicom.image.DecodedFrame;
import org.arca.dicom.image.FrameRenderer;
import org.arca.dicom.image.Frames;
import org.arca.dicom.image.Window;
import org.arca.dicomweb.DicomQueries;

/**
 * WADO-RS pixel routes: {@code frames/{list}} as OHIF asks for them (each part labelled with its
 * transfer syntax), and {@code rendered} and {@code thumbnail} images for portals and previews.
 */
final class DicomPixelApi {
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    private static final long BULK_THRESHOLD = org.arca.dicomweb.MetadataCache.BULK_THRESHOLD;
    /** Instances a series or study thumbnail reads at most while looking for one that is not damaged. */
    private static final int THUMBNAIL_TRIES = 16;

    private final Repository repo;
    private final DicomQueries queries;

    DicomPixelApi(Repository repo, DicomQueries queries) {
        this.repo = repo;
        this.queries = queries;
    }

    List<Route> routes() {
        RouteList list = new RouteList("dicomweb");
        for (String root : List.of("/dicom-web", "/dicom-web/folders/{folder}")) {
            String instance = root + "/studies/{study}/series/{series}/instances/{instance}";
            list.get(instance + "/frames/{frames}", ANYONE, "WADO-RS: frames of an instance, stored or uncompressed", this::frames)
                .get(instance + "/rendered", ANYONE, "WADO-RS: an instance's first frame as JPEG or PNG", this::rendered)
                .get(instance + "/frames/{frames}/rendered", ANYONE, "WADO-RS: one frame as JPEG or PNG", this::rendered)
                .get(instance + "/thumbnail", ANYONE, "WADO-RS: a small image of an instance", this::thumbnail)
                .get(root + "/studies/{study}/series/{series}/thumbnail", ANYONE, "WADO-RS: a small image of a series", this::thumbnail)
                .get(root + "/studies/{study}/thumbnail", ANYONE, "WADO-RS: a small image of a study", this::thumbnail);
        }
        return list.routes();
    }

    private DicomQueries.StoredInstance locate(Context ctx) {
        List<DicomQueries.StoredInstance> found = DicomPaths.located(ctx, queries);
        return audited(ctx, found.get(found.size() / 2));
    }

    private DicomQueries.StoredInstance audited(Context ctx, DicomQueries.StoredInstance chosen) {
        repo.audit().record(Callers.of(ctx), "dicom.pixels", "study", chosen.studyUid(), "instance=" + chosen.sopInstanceUid());
        return chosen;
    }

    /** Reads an instance that has pixels; SR, PDF, RT plans and the like have none to send or render. */
    private DicomFile read(DicomQueries.StoredInstance instance) throws IOException {
        DicomFile file = DicomReader.read(repo.blobs().path(instance.sha256()),
                DicomReader.Options.DEFAULT.withBulkThreshold(BULK_THRESHOLD));
        if (!file.dataset().contains(org.arca.dicom.Tag.PixelData)) {
            throw ArcaException.notFound("An image of this instance (it has no pixel data)");
        }
        return file;
    }

    private void frames(Context ctx) throws IOException {
        DicomQueries.StoredInstance instance = locate(ctx);
        Frames frames = Frames.of(read(instance));
        List<Integer> numbers = frameNumbers(ctx.pathParam("frames"), frames.count());
        FrameAccept accept = FrameAccept.parse(ctx.header("Accept"));
        String stored = frames.encapsulated() ? instance.transferSyntax() : EXPLICIT_LE;
        boolean sendStored = !frames.encapsulated() || accept.allows(stored);
        if (!sendStored && !accept.allows(EXPLICIT_LE)) {
            HttpErrors.write(ctx, 406, "not_acceptable", "Frames are stored as " + stored
                    + "; ask for transfer-syntax=* or " + EXPLICIT_LE + ".");
            return;
        }
        // Every frame is read before the answer starts, so a damaged one is an error answer, not a cut-off body.
        List<byte[]> parts = new ArrayList<>();
        for (int number : numbers) {
            parts.add(sendStored ? frames.encodedFrame(number - 1) : uncompressed(frames.decode(number - 1),
                    frames.description().bitsAllocated()));
        }
        String syntax = sendStored ? stored : EXPLICIT_LE;
        String boundary = UUID.randomUUID().toString();
        ctx.contentType("multipart/related; type=\"application/octet-stream\"; boundary=" + boundary);
        OutputStream out = ctx.res().getOutputStream();
        for (byte[] bytes : parts) {
            out.write(("--" + boundary + "\r\nContent-Type: application/octet-stream; transfer-syntax=" + syntax
                    + "\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void rendered(Context ctx) throws IOException {
        DicomQueries.StoredInstance instance = locate(ctx);
        DicomFile file = read(instance);
        int frame = ctx.pathParamMap().containsKey("frames") ? frameNumbers(ctx.pathParam("frames"), Frames.of(file).count()).get(0) : 1;
        BufferedImage image = FrameRenderer.render(file, frame - 1, window(ctx.queryParam("window")));
        String viewport = ctx.queryParam("viewport");
        if (viewport != null) {
            image = FrameRenderer.thumbnail(image, viewportSize(viewport));
        }
        write(ctx, image);
    }

    private void thumbnail(Context ctx) throws IOException {
        String viewport = ctx.queryParam("viewport");
        int size = viewport == null ? 128 : viewportSize(viewport);
        write(ctx, FrameRenderer.thumbnail(firstRenderable(ctx), size));
    }

    /**
     * The first frame of the middle instance of the path's instances, or, when that one's stored data is
     * damaged, of the readable instance nearest to it; at most {@link #THUMBNAIL_TRIES} are tried, so a large
     * series of damaged files costs a bounded number of reads. Throws the middle instance's failure when none
     * renders.
     */
    private BufferedImage firstRenderable(Context ctx) throws IOException {
        List<DicomQueries.StoredInstance> found = DicomPaths.located(ctx, queries);
        int middle = found.size() / 2;
        List<Integer> nearestFirst = IntStream.range(0, found.size()).boxed()
                .sorted(Comparator.comparingInt(i -> Math.abs(i - middle))).limit(THUMBNAIL_TRIES).toList();
        DicomFormatException first = null;
        for (int at : nearestFirst) {
            try {
                return FrameRenderer.render(read(audited(ctx, found.get(at))), 0, Optional.empty());
            } catch (DicomFormatException e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    /** PNG when the client prefers it, else JPEG (the PS3.18 default for rendered images). */
    private static void write(Context ctx, BufferedImage image) throws IOException {
        String accept = ctx.header("Accept");
        boolean png = accept != null && accept.toLowerCase(Locale.ROOT).contains("image/png")
                && !accept.toLowerCase(Locale.ROOT).startsWith("image/jpeg");
        ctx.contentType(png ? "image/png" : "image/jpeg");
        OutputStream out = ctx.res().getOutputStream();
        if (png) {
            FrameRenderer.writePng(image, out);
        } else {
            float quality = 0.9f;
            String q = ctx.queryParam("quality");
            if (q != null) {
                try {
                    quality = Math.max(1, Math.min(100, Integer.parseInt(q))) / 100f;
                } catch (NumberFormatException e) {
                    throw ArcaException.invalid("invalid_quality", "'quality' is a whole number from 1 to 100.");
                }
            }
            FrameRenderer.writeJpeg(image, out, quality);
        }
    }

    private static Optional<Window> window(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String[] parts = text.split(",");
        try {
            return Optional.of(new Window(Double.parseDouble(parts[0]), Double.parseDouble(parts[1])));
        } catch (RuntimeException e) {
            throw ArcaException.invalid("invalid_window", "'window' is center,width[,function], for example 40,400.");
        }
    }

    private static int viewportSize(String text) {
        try {
            String[] parts = text.split(",");
            int size = Math.max(Integer.parseInt(parts[0].strip()), parts.length > 1 ? Integer.parseInt(parts[1].strip()) : 0);
            if (size < 1 || size > 4096) {
                throw new NumberFormatException();
            }
            return size;
        } catch (RuntimeException e) {
            throw ArcaException.invalid("invalid_viewport", "'viewport' is width,height in pixels, each 1 to 4096.");
        }
    }

    /** A frame list such as "1,3,5"; frames are numbered from 1 and must exist (404 otherwise). */
    static List<Integer> frameNumbers(String text, int count) {
        List<Integer> numbers = new ArrayList<>();
        for (String part : text.split(",")) {
            int n;
            try {
                n = Integer.parseInt(part.strip());
            } catch (NumberFormatException e) {
                throw ArcaException.invalid("invalid_frame", "Frame numbers are whole numbers from 1.");
            }
            if (n < 1 || n > count) {
                throw ArcaException.notFound("Frame " + n);
            }
            numbers.add(n);
        }
        return numbers;
    }

    /** Decoded samples packed little endian at the frame's Bits Allocated (8, 16 or 32). */
    static byte[] uncompressed(DecodedFrame frame, int bitsAllocated) {
        int[] samples = frame.samples();
        int bytesPer = Math.max(1, bitsAllocated / 8);
        byte[] out = new byte[samples.length * bytesPer];
        for (int i = 0; i < samples.length; i++) {
            int v = samples[i];
            for (int b = 0; b < bytesPer; b++) {
                out[i * bytesPer + b] = (byte) (v >>> (8 * b));
            }
        }
        return out;
    }

    /** What a frames request accepts: transfer syntaxes by name, or "*" for whatever is stored. */
    record FrameAccept(boolean any, List<String> syntaxes) {
        static FrameAccept parse(String header) {
            if (header == null || header.isBlank()) {
                return new FrameAccept(false, List.of(EXPLICIT_LE));
            }
            boolean any = false;
            List<String> syntaxes = new ArrayList<>();
            boolean fits = false;
            for (String alternative : header.split(",")) {
                String[] parts = alternative.split(";");
                String type = parts[0].strip().toLowerCase(Locale.ROOT);
                if (!(type.equals("multipart/related") || type.equals("*/*") || type.equals("application/octet-stream"))) {
                    continue;
                }
                fits = true;
                String syntax = null;
                for (int i = 1; i < parts.length; i++) {
                    String[] kv = parts[i].split("=", 2);
                    if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("transfer-syntax")) {
                        syntax = kv[1].strip().replace("\"", "");
                    }
                }
                if (syntax == null) {
                    syntaxes.add(EXPLICIT_LE);
                } else if (syntax.equals("*")) {
                    any = true;
                } else {
                    syntaxes.add(syntax);
                }
            }
            if (!fits) {
                throw new ArcaException(ArcaException.Kind.NOT_ACCEPTABLE, "not_acceptable",
                        "Frames are sent as multipart/related; type=\"application/octet-stream\".");
            }
            return new FrameAccept(any, syntaxes);
        }

        boolean allows(String syntax) {
            return any || syntaxes.contains(syntax);
        }
    }
}
