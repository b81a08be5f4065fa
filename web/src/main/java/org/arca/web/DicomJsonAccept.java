package org.arca.web;

import java.util.Locale;
import org.arca.core.ArcaException;

/**
 * The media type a DICOM JSON answer (QIDO-RS results, WADO-RS metadata) is sent as, chosen from the
 * request's Accept header (RFC 9110 12.5.1): {@code application/dicom+json}, or {@code application/json} for
 * a client that takes only that. A missing Accept, {@code *}{@code /*} and {@code application/*} get DICOM
 * JSON; a range with {@code q=0} refuses its type, and the most specific range naming a type decides its
 * weight ({@link AcceptHeader#weight}). An Accept naming nothing Arca produces (DICOM XML among others)
 * answers 406 instead of a body the client did not ask for.
 */
final class DicomJsonAccept {
    static final String DICOM_JSON = "application/dicom+json";
    private static final String JSON = "application/json";

    private DicomJsonAccept() {
    }

    /** The type to answer with; 406 when the header accepts neither. */
    static String choose(String accept) {
        AcceptHeader header = AcceptHeader.parse(accept);
        double dicomJson = header.weight(DICOM_JSON);
        double json = header.weight(JSON);
        if (dicomJson <= 0 && json <= 0) {
            throw new ArcaException(ArcaException.Kind.NOT_ACCEPTABLE, "not_acceptable",
                    "This resource is sent as application/dicom+json (or application/json); the Accept header asks for "
                            + summary(accept) + (accept.toLowerCase(Locale.ROOT).contains("dicom+xml")
                                    ? ". Arca does not produce DICOM XML (application/dicom+xml)." : "."));
        }
        return json > dicomJson ? JSON : DICOM_JSON;
    }

    /** The header as the error message shows it: cut short, so a huge header does not make a huge answer. */
    private static String summary(String accept) {
        String text = accept.strip();
        return "'" + (text.length() > 120 ? text.substring(0, 120) + "…" : text) + "'";
    }
}
