package org.arca.web;

import java.util.List;
import java.util.Locale;
import org.arca.core.ArcaException;

/**
 * The media type a DICOM JSON answer (QIDO-RS results, WADO-RS metadata) is sent as, chosen from the
 * request's Accept header (RFC 9110 12.5.1): {@code application/dicom+json}, or {@code application/json} for
 * a client that takes only that. A missing Accept, {@code *}{@code /*} and {@code application/*} get DICOM
 * JSON; a range with {@code q=0} refuses its type, and the most specific range naming a type decides its
 * weight. An Accept naming nothing Arca produces (DICOM XML among others) answers 406 instead of a body the
 * client did not ask for.
 */
final class DicomJsonAccept {
    static final String DICOM_JSON = "application/dicom+json";
    private static final String JSON = "application/json";

    private DicomJsonAccept() {
    }

    /** The type to answer with; 406 when the header accepts neither. */
    static String choose(String accept) {
        if (accept == null || accept.isBlank()) {
            return DICOM_JSON;
        }
        List<Range> ranges = java.util.Arrays.stream(accept.split(",")).map(Range::parse).filter(r -> r != null).toList();
        double dicomJson = weight(ranges, DICOM_JSON);
        double json = weight(ranges, JSON);
        if (dicomJson <= 0 && json <= 0) {
            throw new ArcaException(ArcaException.Kind.NOT_ACCEPTABLE, "not_acceptable",
                    "This resource is sent as application/dicom+json (or application/json); the Accept header asks for "
                            + summary(accept) + (accept.toLowerCase(Locale.ROOT).contains("dicom+xml")
                                    ? ". Arca does not produce DICOM XML (application/dicom+xml)." : "."));
        }
        return json > dicomJson ? JSON : DICOM_JSON;
    }

    /** The q of the most specific range matching {@code type} ("application/dicom+json"), 0 when none does. */
    private static double weight(List<Range> ranges, String type) {
        int bestSpecificity = -1;
        double q = 0;
        for (Range range : ranges) {
            int specificity = range.specificity(type);
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                q = range.q();
            }
        }
        return q;
    }

    /** The header as the error message shows it: cut short, so a huge header does not make a huge answer. */
    private static String summary(String accept) {
        String text = accept.strip();
        return "'" + (text.length() > 120 ? text.substring(0, 120) + "…" : text) + "'";
    }

    /** One media range of an Accept header with its weight. */
    private record Range(String type, String subtype, double q) {
        static Range parse(String text) {
            String[] parts = text.split(";");
            String mediaRange = parts[0].strip().toLowerCase(Locale.ROOT);
            int slash = mediaRange.indexOf('/');
            if (slash <= 0 || slash == mediaRange.length() - 1) {
                return null; // not a media range; ignored as RFC 9110 lets a server do
            }
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("q")) {
                    try {
                        q = Math.max(0, Math.min(1, Double.parseDouble(kv[1].strip())));
                    } catch (NumberFormatException e) {
                        q = 1; // a malformed weight is read as the default rather than refusing the request
                    }
                }
            }
            return new Range(mediaRange.substring(0, slash).strip(), mediaRange.substring(slash + 1).strip(), q);
        }

        /** How closely the range names {@code mediaType}: 2 exactly, 1 by its type's wildcard, 0 by any, -1 not. */
        int specificity(String mediaType) {
            int slash = mediaType.indexOf('/');
            String wantedType = mediaType.substring(0, slash);
            String wantedSubtype = mediaType.substring(slash + 1);
            if (type.equals("*") && subtype.equals("*")) {
                return 0;
            }
            if (!type.equals(wantedType)) {
                return -1;
            }
            if (subtype.equals("*")) {
                return 1;
            }
            return subtype.equals(wantedSubtype) ? 2 : -1;
        }
    }
}
