package org.arca.web.dicom;

/** Builders shared by the DICOMweb tests and the authorization matrix. */
public final class DicomWebTestSupport {
    private DicomWebTestSupport() {
    }

    /** A multipart/related body of application/dicom parts with the given boundary. */
    public static byte[] multipart(String boundary, byte[]... parts) {
        return multipart(boundary, "application/dicom", parts);
    }

    /** A multipart/related body whose parts all declare {@code partType}. */
    public static byte[] multipart(String boundary, String partType, byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(("--" + boundary + "\r\nContent-Type: " + partType + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.writeBytes(part);
            out.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

}
