package org.arca.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arca.core.ArcaException;

/**
 * What a WADO-RS Accept header asks for (PS3.18 8.7.3 and 8.7.5), as options in the client's order of preference.
 * Frames come decoded ({@code application/octet-stream}, Explicit VR Little Endian, the PS3.18 default when no
 * transfer syntax is named) or as stored (the stored syntax, by UID, by {@code *}, or by its media type from
 * Table 8.7.3-5); instances as {@code application/dicom} in a named syntax, as stored ({@code *}) or in the
 * PS3.18 default. Single-part types only fit answers of one part.
 */
final class WadoAccept {
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    static final String OCTET_STREAM = "application/octet-stream";
    static final String DICOM = "application/dicom";

    /** PS3.18 Table 8.7.3-5: the media type of compressed frames in each transfer syntax. */
    private static final Map<String, String> MEDIA_TYPES = Map.ofEntries(
            Map.entry("1.2.840.10008.1.2.4.50", "image/jpeg"), Map.entry("1.2.840.10008.1.2.4.51", "image/jpeg"),
            Map.entry("1.2.840.10008.1.2.4.57", "image/jpeg"), Map.entry("1.2.840.10008.1.2.4.70", "image/jpeg"),
            Map.entry("1.2.840.10008.1.2.5", "image/dicom-rle"),
            Map.entry("1.2.840.10008.1.2.4.80", "image/jls"), Map.entry("1.2.840.10008.1.2.4.81", "image/jls"),
            Map.entry("1.2.840.10008.1.2.4.90", "image/jp2"), Map.entry("1.2.840.10008.1.2.4.91", "image/jp2"),
            Map.entry("1.2.840.10008.1.2.4.92", "image/jpx"), Map.entry("1.2.840.10008.1.2.4.93", "image/jpx"),
            Map.entry("1.2.840.10008.1.2.4.201", "image/jphc"), Map.entry("1.2.840.10008.1.2.4.202", "image/jphc"),
            Map.entry("1.2.840.10008.1.2.4.203", "image/jphc"),
            Map.entry("1.2.840.10008.1.2.4.100", "video/mpeg"), Map.entry("1.2.840.10008.1.2.4.101", "video/mpeg"),
            Map.entry("1.2.840.10008.1.2.4.102", "video/mp4"), Map.entry("1.2.840.10008.1.2.4.103", "video/mp4"),
            Map.entry("1.2.840.10008.1.2.4.104", "video/mp4"), Map.entry("1.2.840.10008.1.2.4.105", "video/mp4"),
            Map.entry("1.2.840.10008.1.2.4.106", "video/mp4"), Map.entry("1.2.840.10008.1.2.4.107", "video/mp4"),
            Map.entry("1.2.840.10008.1.2.4.108", "video/mp4"));

    private WadoAccept() {
    }

    /**
     * The transfer syntax a range of {@code partType} asks for when it names none (PS3.18 8.7.3): Explicit VR Little
     * Endian for instances ({@code application/dicom}) and for bulk data and frames ({@code application/octet-stream},
     * uncompressed); for frames of a compressed media type (image/jpeg, video/mp4 and the like) null, any syntax of
     * that type, so the stored one.
     */
    static String defaultSyntax(String partType) {
        return partType.equals(DICOM) || partType.equals(OCTET_STREAM) ? EXPLICIT_LE : null;
    }

    /** The transfer syntax {@code range}, whose parts are of {@code partType}, asks for: the one it names, or the default. */
    private static String syntaxAsked(AcceptHeader.MediaRange range, String partType) {
        String named = range.parameter("transfer-syntax");
        return named != null ? named : defaultSyntax(partType);
    }

    /** The media type of frames compressed in {@code syntax}, or null for a syntax PS3.18 gives none. */
    static String mediaTypeOf(String syntax) {
        return MEDIA_TYPES.get(syntax);
    }

    /**
     * One way to send frames.
     *
     * @param decoded   native samples (Explicit VR Little Endian) rather than the stored bytes
     * @param partRange for stored bytes, the media range the parts must fall in: application/octet-stream (parts
     *                  labelled so, whatever their syntax) or an image or video range
     * @param syntax    for stored bytes, the syntax asked for: a UID, "*" for any, or null for any of the range's
     * @param multipart multipart/related rather than a single part
     */
    record FrameOption(boolean decoded, String partRange, String syntax, boolean multipart) {
        /**
         * The part media type this option sends frames stored in {@code stored} (the stored syntax, or Explicit VR
         * Little Endian when the frames are native) with, or null when it cannot send them.
         */
        String partType(String stored, boolean encapsulated) {
            if (decoded) {
                return OCTET_STREAM;
            }
            if (!encapsulated) {
                // Native frames are one encoding whatever the instance's syntax: Explicit VR Little Endian.
                return partRange.equals(OCTET_STREAM) && (syntax.equals("*") || syntax.equals(EXPLICIT_LE)) ? OCTET_STREAM : null;
            }
            boolean syntaxFits = syntax == null || syntax.equals("*") || syntax.equals(stored);
            if (partRange.equals(OCTET_STREAM)) {
                return syntax != null && syntaxFits ? OCTET_STREAM : null;
            }
            String media = mediaTypeOf(stored);
            return media != null && AcceptHeader.covers(partRange, media) && syntaxFits ? media : null;
        }
    }

    /** The ways to send {@code frameCount} frames the header accepts, most preferred first. */
    static List<FrameOption> frames(String header, int frameCount) {
        List<FrameOption> options = new ArrayList<>();
        for (AcceptHeader.MediaRange range : AcceptHeader.parse(header).ranges()) {
            boolean multipart = range.type().startsWith("multipart/") || range.type().equals("*/*");
            if (!multipart && frameCount != 1) {
                continue; // a single-part type holds one frame (PS3.18 10.4.4)
            }
            if (range.type().startsWith("multipart/") && !range.covers("multipart/related")) {
                continue;
            }
            String part = multipart ? range.parameters().getOrDefault("type", OCTET_STREAM).toLowerCase(java.util.Locale.ROOT)
                    : range.type();
            if (part.equals(OCTET_STREAM) || part.equals("*/*") || part.equals("application/*")) {
                String syntax = syntaxAsked(range, OCTET_STREAM);
                if (syntax.equals(EXPLICIT_LE)) {
                    options.add(new FrameOption(true, OCTET_STREAM, null, multipart));
                } else {
                    options.add(new FrameOption(false, OCTET_STREAM, syntax, multipart));
                }
            } else if (part.startsWith("image/") || part.startsWith("video/")) {
                options.add(new FrameOption(false, part, syntaxAsked(range, part), multipart));
            }
        }
        return options;
    }

    /**
     * One way to send instances.
     *
     * @param syntax    a transfer syntax UID, or "*" for as stored
     * @param defaulted the range named no syntax, so {@code syntax} is {@link #defaultSyntax}'s, which gives way to
     *                  the stored syntax where PS3.18 lets it (pixel data held only lossy compressed)
     * @param multipart multipart/related rather than a single application/dicom body
     */
    record InstanceOption(String syntax, boolean defaulted, boolean multipart) {
    }

    /** The ways to send instances the header accepts, most preferred first; single-part ones only for one instance. */
    static List<InstanceOption> instances(String header, boolean oneInstance) {
        List<InstanceOption> options = new ArrayList<>();
        for (AcceptHeader.MediaRange range : AcceptHeader.parse(header).ranges()) {
            boolean fits;
            boolean multipart = true;
            if (range.type().equals("multipart/related")) {
                String part = range.parameter("type");
                fits = part == null || AcceptHeader.covers(part, DICOM);
            } else if (range.type().equals("*/*") || range.type().equals("multipart/*")) {
                fits = true;
            } else {
                fits = range.type().equals(DICOM) && oneInstance;
                multipart = false;
            }
            if (fits) {
                options.add(new InstanceOption(syntaxAsked(range, DICOM), range.parameter("transfer-syntax") == null, multipart));
            }
        }
        if (options.isEmpty()) {
            throw new ArcaException(ArcaException.Kind.NOT_ACCEPTABLE, "not_acceptable",
                    "Instances are sent as multipart/related; type=\"application/dicom\""
                            + (oneInstance ? " or application/dicom" : "") + ".");
        }
        return options;
    }

    /** The rendered image type the header prefers: image/png or image/jpeg (the PS3.18 default); 406 otherwise. */
    static String rendered(String header) {
        for (AcceptHeader.MediaRange range : AcceptHeader.parse(header).ranges()) {
            if (range.type().equals("image/png")) {
                return "image/png";
            }
            if (range.covers("image/jpeg")) {
                return "image/jpeg";
            }
        }
        throw new ArcaException(ArcaException.Kind.NOT_ACCEPTABLE, "not_acceptable",
                "Rendered images and thumbnails are sent as image/jpeg or image/png.");
    }
}
