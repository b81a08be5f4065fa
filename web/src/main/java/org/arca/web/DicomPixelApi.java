package org.arca.web;

import static org.arca.web.Route.Audience.ANYONE;

import io.javalin.http.Context;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.arca.core.ArcaException;
import org.arca.core.ReadableBytes;
import org.arca.core.Repository;
import org.arca.core.StoredBytes;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.DicomReader;
import org.arca.dicom.image.FrameRenderer;
import org.arca.dicom.image.Frames;
import org.arca.dicom.image.NativePixels;
import org.arca.dicom.image.NoDecoderException;
import org.arca.dicom.image.PixelDescription;
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
        return found.get(found.size() / 2);
    }

    /**
     * Reads an instance that has pixels, audited as one read of the study's pixels; SR, PDF, RT plans and the like
     * have none to send or render.
     */
    private DicomFile read(Context ctx, DicomQueries.StoredInstance instance) throws IOException {
        ReadableBytes bytes = repo.bytes().read(Callers.of(ctx), List.of(instance.sha256()),
                StoredBytes.Audit.entry("dicom.pixels", "study", instance.studyUid(), "instance=" + instance.sopInstanceUid()));
        DicomFile file = DicomReader.read(bytes.path(instance.sha256()),
                DicomReader.Options.DEFAULT.withBulkThreshold(BULK_THRESHOLD));
        if (!file.dataset().contains(org.arca.dicom.Tag.PixelData)) {
            throw ArcaException.notFound("An image of this instance (it has no pixel data)");
        }
        return file;
    }

    private void frames(Context ctx) throws IOException {
        DicomQueries.StoredInstance instance = locate(ctx);
        Frames frames = Frames.of(read(ctx, instance));
        List<Integer> numbers = frameNumbers(ctx.pathParam("frames"), frames.count());
        String stored = frames.encapsulated() ? frames.transferSyntax().uid() : EXPLICIT_LE;
        IOException refusal = null;
        for (WadoAccept.FrameOption option : WadoAccept.frames(ctx.header("Accept"), numbers.size())) {
            String partType = option.partType(stored, frames.encapsulated());
            if (partType == null) {
                continue;
            }
            boolean decode = option.decoded() && frames.encapsulated();
            // Every frame is read before the answer starts, so a damaged one is an error answer, not a cut-off body.
            List<byte[]> parts = new ArrayList<>();
            try {
                for (int number : numbers) {
                    parts.add(decode ? decoded(frames, number - 1) : frames.encodedFrame(number - 1));
                }
            } catch (NoDecoderException | DicomFormatException e) {
                // The client may accept another form (the stored bytes, say); the first reason stands if none fits.
                refusal = refusal instanceof DicomFormatException ? refusal : e;
                continue;
            }
            send(ctx, option.multipart(), partType, decode ? EXPLICIT_LE : stored, parts);
            return;
        }
        if (refusal != null) {
            throw refusal;
        }
        String media = WadoAccept.mediaTypeOf(stored);
        throw new ArcaException(ArcaException.Kind.NOT_ACCEPTABLE, "not_acceptable", "These frames are stored "
                + (frames.encapsulated() ? "as " + stored : "uncompressed") + ". Arca sends them as multipart/related;"
                + " type=\"application/octet-stream\" decoded to " + EXPLICIT_LE + " (the default)"
                + (frames.encapsulated() ? ", or as stored with transfer-syntax=* or " + stored
                + (media == null ? "" : ", or as multipart/related; type=\"" + media + "\"") : "")
                + "; a single-part type only for one frame.");
    }

    /** Frames decoded to native samples in the instance's Bits Allocated, as Explicit VR Little Endian holds them. */
    private static byte[] decoded(Frames frames, int index) throws IOException {
        PixelDescription d = frames.description();
        if (d.bitsAllocated() == 1) {
            throw new NoDecoderException(frames.transferSyntax().uid() + " with Bits Allocated 1");
        }
        return NativePixels.pack(frames.decode(index), d.bitsAllocated(), d.bitsStored(), d.highBit());
    }

    /** The frames as one body of the part type (one frame), or as multipart/related with one part per frame. */
    private static void send(Context ctx, boolean multipart, String partType, String syntax, List<byte[]> parts)
            throws IOException {
        String labelled = partType + "; transfer-syntax=" + syntax;
        OutputStream out = ctx.res().getOutputStream();
        if (!multipart) {
            ctx.contentType(labelled);
            ctx.res().setContentLength(parts.get(0).length);
            out.write(parts.get(0));
            return;
        }
        MultipartRelatedWriter answer = new MultipartRelatedWriter(out, partType);
        ctx.contentType(answer.contentType());
        for (byte[] bytes : parts) {
            answer.part(labelled, bytes.length, partOut -> partOut.write(bytes));
        }
        answer.finish();
    }

    private void rendered(Context ctx) throws IOException {
        String type = WadoAccept.rendered(ctx.header("Accept"));
        DicomQueries.StoredInstance instance = locate(ctx);
        DicomFile file = read(ctx, instance);
        int frame = ctx.pathParamMap().containsKey("frames") ? frameNumbers(ctx.pathParam("frames"), Frames.of(file).count()).get(0) : 1;
        BufferedImage image = FrameRenderer.render(file, frame - 1, window(ctx.queryParam("window")));
        String viewport = ctx.queryParam("viewport");
        if (viewport != null) {
            image = FrameRenderer.thumbnail(image, viewportSize(viewport));
        }
        write(ctx, type, image);
    }

    private void thumbnail(Context ctx) throws IOException {
        String type = WadoAccept.rendered(ctx.header("Accept"));
        String viewport = ctx.queryParam("viewport");
        int size = viewport == null ? 128 : viewportSize(viewport);
        write(ctx, type, FrameRenderer.thumbnail(firstRenderable(ctx), size));
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
                return FrameRenderer.render(read(ctx, found.get(at)), 0, Optional.empty());
            } catch (DicomFormatException e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    /** The image as {@code type}: image/png or image/jpeg (see {@link WadoAccept#rendered}). */
    private static void write(Context ctx, String type, BufferedImage image) throws IOException {
        boolean png = type.equals("image/png");
        ctx.contentType(type);
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
}
