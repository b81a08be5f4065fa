package org.arca.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.arca.core.ArcaException;
import org.arca.core.ReadableBytes;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.DicomReader;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.image.NativeTranscoder;
import org.arca.dicom.image.NoDecoderException;
import org.arca.dicomweb.DicomQueries.StoredInstance;

/**
 * WADO-RS retrieval of instances (PS3.18 10.4): for each instance, the first form the Accept header prefers that
 * Arca can make, decided for all of them before the answer starts, so that a refusal is a 406 or 422 and not a
 * cut-off body. The forms are the stored file, byte for byte, or the instance re-encoded in a native syntax
 * ({@link NativeTranscoder}), written part by part as the answer goes out.
 *
 * <p>With no transfer syntax named, PS3.18 8.7.3 says Explicit VR Little Endian, except for pixel data the server
 * holds only lossy compressed. Arca follows it and stretches the exception: an instance it cannot decode, or whose
 * stored data is damaged, is sent as stored rather than refused, and its part says so in its transfer-syntax.
 */
final class InstanceRetrieval {
    /** Encapsulated syntaxes that lose nothing: with no syntax named, these are decoded to Explicit VR Little Endian. */
    private static final Set<String> LOSSLESS = Set.of("1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70",
            "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.92", "1.2.840.10008.1.2.4.201",
            "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.1.98");

    /** One part of the answer: the stored file when {@code transcoder} is null, else the transcoder's output. */
    record Part(StoredInstance instance, String syntax, NativeTranscoder transcoder) {
    }

    private final ReadableBytes bytes;

    /** Sends instances from {@code bytes}, the read their retrieval was allowed. */
    InstanceRetrieval(ReadableBytes bytes) {
        this.bytes = bytes;
    }

    /**
     * What to send for each instance.
     *
     * @throws ArcaException        406 when an instance can be made in none of the accepted forms
     * @throws DicomFormatException when an instance asked for in a native syntax is too damaged to decode
     * @throws NoDecoderException   when an instance asked for in a native syntax has no decoder here
     */
    List<Part> plan(List<StoredInstance> instances, List<WadoAccept.InstanceOption> options) throws IOException {
        List<Part> parts = new ArrayList<>();
        for (StoredInstance instance : instances) {
            parts.add(plan(instance, options));
        }
        return parts;
    }

    private Part plan(StoredInstance instance, List<WadoAccept.InstanceOption> options) throws IOException {
        String stored = instance.transferSyntax();
        Part asStored = new Part(instance, stored, null);
        IOException refusal = null;
        for (WadoAccept.InstanceOption option : options) {
            String wanted = option.syntax();
            if ("*".equals(wanted) || stored.equals(wanted)) {
                return asStored;
            }
            if (option.defaulted()) {
                if (TransferSyntax.of(stored).encapsulated() && !LOSSLESS.contains(stored)) {
                    return asStored; // lossy, or unknown to be lossless
                }
                try {
                    return transcoded(instance, wanted);
                } catch (NoDecoderException | DicomFormatException e) {
                    return asStored; // the default never refuses what is stored; see the class comment
                }
            }
            if (NativeTranscoder.writes(wanted)) {
                try {
                    return transcoded(instance, wanted);
                } catch (NoDecoderException | DicomFormatException e) {
                    refusal = refusal instanceof DicomFormatException ? refusal : e;
                }
            }
        }
        if (refusal != null) {
            throw refusal;
        }
        throw new ArcaException(ArcaException.Kind.NOT_ACCEPTABLE, "not_acceptable", "An instance is stored as " + stored
                + ". Arca sends instances as stored (transfer-syntax=* or " + stored + "), or decoded to "
                + String.join(", ", NativeTranscoder.TARGETS.stream().sorted().toList())
                + "; with no transfer-syntax, as " + WadoAccept.defaultSyntax(WadoAccept.DICOM)
                + " (as stored when lossy compressed).");
    }

    private Part transcoded(StoredInstance instance, String syntax) throws IOException {
        NativeTranscoder transcoder = NativeTranscoder.of(DicomReader.read(bytes.path(instance.sha256()),
                DicomReader.Options.DEFAULT.withBulkThreshold(org.arca.dicomweb.MetadataCache.BULK_THRESHOLD)),
                TransferSyntax.of(syntax));
        transcoder.checkDecodable();
        return new Part(instance, syntax, transcoder);
    }

    /** Sends the parts as multipart/related; type="application/dicom", or the one part alone as application/dicom. */
    void send(io.javalin.http.Context ctx, List<Part> parts, boolean multipart) throws IOException {
        OutputStream out = ctx.res().getOutputStream();
        if (!multipart) {
            Part part = parts.get(0);
            ctx.contentType(WadoAccept.DICOM + "; transfer-syntax=" + part.syntax());
            if (part.transcoder() == null) {
                ctx.res().setContentLengthLong(part.instance().size());
            }
            body(part, out);
            return;
        }
        MultipartRelatedWriter answer = new MultipartRelatedWriter(out, WadoAccept.DICOM);
        ctx.contentType(answer.contentType());
        for (Part part : parts) {
            String type = WadoAccept.DICOM + "; transfer-syntax=" + part.syntax();
            if (part.transcoder() == null) {
                answer.part(type, part.instance().size(), partOut -> body(part, partOut));
            } else {
                // A transcoded part's length is known only once written; the boundary delimits it.
                answer.part(type, partOut -> body(part, partOut));
            }
        }
        answer.finish();
    }

    private void body(Part part, OutputStream out) throws IOException {
        if (part.transcoder() == null) {
            Files.copy(bytes.path(part.instance().sha256()), out);
        } else {
            part.transcoder().writeTo(out);
        }
    }
}
