package org.arca.dicom;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A transfer syntax (PS3.5 section 10, PS3.6 Annex A): how a dataset is encoded.
 *
 * @param uid          the transfer syntax UID
 * @param name         its name in PS3.6
 * @param explicitVr   true when element headers carry the VR
 * @param bigEndian    true for the retired Explicit VR Big Endian
 * @param deflated     true when the dataset after the meta group is deflated (RFC 1951)
 * @param encapsulated true when pixel data is compressed into fragments
 */
public record TransferSyntax(String uid, String name, boolean explicitVr, boolean bigEndian,
                             boolean deflated, boolean encapsulated) {

    public static final TransferSyntax IMPLICIT_VR_LITTLE_ENDIAN =
            native_("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false);
    public static final TransferSyntax EXPLICIT_VR_LITTLE_ENDIAN =
            native_("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false);
    public static final TransferSyntax DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, false);
    public static final TransferSyntax EXPLICIT_VR_BIG_ENDIAN =
            native_("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true);
    public static final TransferSyntax JPEG_BASELINE = enc("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)");
    public static final TransferSyntax JPEG_EXTENDED = enc("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)");
    public static final TransferSyntax JPEG_LOSSLESS = enc("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)");
    public static final TransferSyntax JPEG_LOSSLESS_SV1 = enc("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])");
    public static final TransferSyntax JPEG_LS_LOSSLESS = enc("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression");
    public static final TransferSyntax JPEG_LS_NEAR_LOSSLESS = enc("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression");
    public static final TransferSyntax JPEG_2000_LOSSLESS = enc("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)");
    public static final TransferSyntax JPEG_2000 = enc("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression");
    public static final TransferSyntax HTJ2K_LOSSLESS = enc("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)");
    public static final TransferSyntax HTJ2K_RPCL_LOSSLESS = enc("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)");
    public static final TransferSyntax HTJ2K = enc("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression");
    public static final TransferSyntax MPEG2_MAIN = enc("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level");
    public static final TransferSyntax MPEG4_AVC = enc("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1");
    public static final TransferSyntax HEVC_MAIN = enc("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1");
    public static final TransferSyntax RLE_LOSSLESS = enc("1.2.840.10008.1.2.5", "RLE Lossless");

    private static final Map<String, TransferSyntax> KNOWN = List.of(IMPLICIT_VR_LITTLE_ENDIAN,
                    EXPLICIT_VR_LITTLE_ENDIAN, DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_BIG_ENDIAN,
                    JPEG_BASELINE, JPEG_EXTENDED, JPEG_LOSSLESS, JPEG_LOSSLESS_SV1, JPEG_LS_LOSSLESS,
                    JPEG_LS_NEAR_LOSSLESS, JPEG_2000_LOSSLESS, JPEG_2000, HTJ2K_LOSSLESS, HTJ2K_RPCL_LOSSLESS,
                    HTJ2K, MPEG2_MAIN, MPEG4_AVC, HEVC_MAIN, RLE_LOSSLESS)
            .stream().collect(Collectors.toUnmodifiableMap(TransferSyntax::uid, Function.identity()));

    private static TransferSyntax native_(String uid, String name, boolean explicit, boolean big) {
        return new TransferSyntax(uid, name, explicit, big, false, false);
    }

    private static TransferSyntax enc(String uid, String name) {
        return new TransferSyntax(uid, name, true, false, false, true);
    }

    /**
     * The transfer syntax with a UID. An unknown UID is taken for an encapsulated Explicit VR
     * Little Endian syntax, which is what every transfer syntax defined since 1993 is.
     */
    public static TransferSyntax of(String uid) {
        TransferSyntax ts = KNOWN.get(uid);
        return ts != null ? ts : new TransferSyntax(uid, "unknown", true, false, false, true);
    }

    public static boolean isKnown(String uid) {
        return KNOWN.containsKey(uid);
    }
}
