package org.arca.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The one writer of multipart/related answers, read back by Angus Mail's independent parser. */
class MultipartRelatedWriterTest {

    @Test
    void partsWithAndWithoutALengthAreDelimitedByTheBoundaryTheContentTypeNames() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MultipartRelatedWriter answer = new MultipartRelatedWriter(out, "application/dicom");
        byte[] first = {0, 1, '\r', '\n', '-', '-', 2};
        answer.part("application/dicom; transfer-syntax=1.2.840.10008.1.2.1", first.length, o -> o.write(first));
        answer.part("application/dicom; transfer-syntax=1.2.840.10008.1.2.4.50", o -> o.write("jpeg".getBytes(StandardCharsets.US_ASCII)));
        answer.finish();

        String contentType = answer.contentType();
        assertThat(contentType).matches("multipart/related; type=\"application/dicom\"; boundary=[0-9a-f-]{36}");
        MimeMultipart parts = new MimeMultipart(new ByteArrayDataSource(out.toByteArray(), contentType));
        assertThat(parts.getCount()).isEqualTo(2);
        MimeBodyPart one = (MimeBodyPart) parts.getBodyPart(0);
        assertThat(one.getContentType()).isEqualTo("application/dicom; transfer-syntax=1.2.840.10008.1.2.1");
        assertThat(one.getHeader("Content-Length")).containsExactly("7");
        assertThat(one.getRawInputStream().readAllBytes()).isEqualTo(first);
        MimeBodyPart two = (MimeBodyPart) parts.getBodyPart(1);
        assertThat(two.getHeader("Content-Length")).isNull();
        assertThat(two.getRawInputStream().readAllBytes()).isEqualTo("jpeg".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void theBytesAreThoseDicomWebClientsHaveAlwaysRead() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MultipartRelatedWriter answer = new MultipartRelatedWriter(out, "application/octet-stream");
        answer.part("application/octet-stream", o -> o.write('x'));
        answer.finish();
        String boundary = answer.contentType().substring(answer.contentType().indexOf("boundary=") + 9);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("--" + boundary
                + "\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n--" + boundary + "--\r\n");
    }
}
