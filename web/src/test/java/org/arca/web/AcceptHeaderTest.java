package org.arca.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AcceptHeaderTest {

    static List<String> types(String header) {
        return AcceptHeader.parse(header).ranges().stream().map(AcceptHeader.MediaRange::type).toList();
    }

    @Test
    void rangesComeInOrderOfQualityThenAsSent() {
        assertThat(types("image/png;q=0.5, image/jpeg, text/html;q=0.5, */*;q=0.1"))
                .containsExactly("image/jpeg", "image/png", "text/html", "*/*");
        assertThat(types("a/b;q=0, c/d")).containsExactly("c/d");
        assertThat(types("a/b;q=nonsense, c/d;q=0.9")).containsExactly("a/b", "c/d");
        assertThat(types(null)).containsExactly("*/*");
        assertThat(types("  ")).containsExactly("*/*");
    }

    @Test
    void parametersMayBeQuotedAndHoldTheSeparators() {
        AcceptHeader.MediaRange range = AcceptHeader.parse(
                "Multipart/Related; Type=\"application/dicom\"; x=\"a,b;c\"; transfer-syntax=1.2.840.10008.1.2.1, image/jpeg")
                .ranges().get(0);
        assertThat(range.type()).isEqualTo("multipart/related");
        assertThat(range.parameter("type")).isEqualTo("application/dicom");
        assertThat(range.parameter("x")).isEqualTo("a,b;c");
        assertThat(range.parameter("transfer-syntax")).isEqualTo("1.2.840.10008.1.2.1");
        assertThat(AcceptHeader.parse("multipart/related; type=\"application/dicom\"; x=\"a,b\", image/jpeg").ranges())
                .hasSize(2);
    }

    @Test
    void wildcardsCoverTheirTypes() {
        assertThat(AcceptHeader.covers("*/*", "image/jls")).isTrue();
        assertThat(AcceptHeader.covers("image/*", "image/jls")).isTrue();
        assertThat(AcceptHeader.covers("image/*", "video/mp4")).isFalse();
        assertThat(AcceptHeader.covers("IMAGE/JLS", "image/jls")).isTrue();
        assertThat(AcceptHeader.covers("image/jpeg", "image/jls")).isFalse();
    }

    @Test
    void theMostSpecificRangeDecidesATypesWeightAndQZeroRefusesIt() {
        AcceptHeader header = AcceptHeader.parse("*/*;q=0.1, application/*;q=0.5, application/dicom+json;q=0, text/plain");
        assertThat(header.weight("application/dicom+json")).isZero();
        assertThat(header.weight("application/json")).isEqualTo(0.5);
        assertThat(header.weight("image/png")).isEqualTo(0.1);
        assertThat(header.weight("TEXT/PLAIN")).isEqualTo(1);
        assertThat(AcceptHeader.parse("image/jpeg").weight("application/json")).isZero();
        assertThat(AcceptHeader.parse(null).weight("application/json")).isEqualTo(1);
    }
}
