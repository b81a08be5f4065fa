package org.arca.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What a WADO-RS Accept range that names no transfer-syntax asks for (PS3.18 8.7.3), for each media type it can
 * name: one rule, {@link WadoAccept#defaultSyntax}, for instances and frames alike.
 */
class WadoAcceptTest {
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    private static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";

    @Test
    void theDefaultIsExplicitLittleEndianForInstancesAndUncompressedFramesAndAsStoredForCompressedFrameTypes() {
        assertThat(WadoAccept.defaultSyntax("application/dicom")).isEqualTo(EXPLICIT_LE);
        assertThat(WadoAccept.defaultSyntax("application/octet-stream")).isEqualTo(EXPLICIT_LE);
        assertThat(WadoAccept.defaultSyntax("image/jpeg")).isNull();
        assertThat(WadoAccept.defaultSyntax("video/mp4")).isNull();
    }

    @Test
    void multipartDicomWithNoSyntaxAsksForExplicitLittleEndianByDefault() {
        assertThat(WadoAccept.instances("multipart/related; type=\"application/dicom\"", false))
                .containsExactly(new WadoAccept.InstanceOption(EXPLICIT_LE, true, true));
        assertThat(WadoAccept.instances("multipart/related; type=\"application/dicom\"; transfer-syntax=" + EXPLICIT_LE, false))
                .containsExactly(new WadoAccept.InstanceOption(EXPLICIT_LE, false, true));
        assertThat(WadoAccept.instances("multipart/related; type=\"application/dicom\"; transfer-syntax=*", false))
                .containsExactly(new WadoAccept.InstanceOption("*", false, true));
    }

    @Test
    void singleDicomAndAnyTypeWithNoSyntaxAskForTheSameDefault() {
        assertThat(WadoAccept.instances("application/dicom", true))
                .containsExactly(new WadoAccept.InstanceOption(EXPLICIT_LE, true, false));
        assertThat(WadoAccept.instances("*/*", false)).containsExactly(new WadoAccept.InstanceOption(EXPLICIT_LE, true, true));
        assertThat(WadoAccept.instances(null, false)).containsExactly(new WadoAccept.InstanceOption(EXPLICIT_LE, true, true));
    }

    @Test
    void octetStreamFramesWithNoSyntaxAreDecodedToExplicitLittleEndian() {
        WadoAccept.FrameOption decoded = new WadoAccept.FrameOption(true, "application/octet-stream", null, true);
        assertThat(WadoAccept.frames("multipart/related; type=\"application/octet-stream\"", 2)).containsExactly(decoded);
        assertThat(WadoAccept.frames("multipart/related; type=\"application/octet-stream\"; transfer-syntax=" + EXPLICIT_LE, 2))
                .containsExactly(decoded);
        assertThat(WadoAccept.frames("application/octet-stream", 1))
                .containsExactly(new WadoAccept.FrameOption(true, "application/octet-stream", null, false));
        assertThat(WadoAccept.frames(null, 2)).containsExactly(decoded);
        assertThat(decoded.partType(JPEG_BASELINE, true)).isEqualTo("application/octet-stream");
    }

    @Test
    void octetStreamFramesNamingAnotherSyntaxAreSentAsStored() {
        WadoAccept.FrameOption stored = WadoAccept.frames(
                "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*", 2).get(0);
        assertThat(stored).isEqualTo(new WadoAccept.FrameOption(false, "application/octet-stream", "*", true));
        assertThat(stored.partType(JPEG_BASELINE, true)).isEqualTo("application/octet-stream");
    }

    @Test
    void compressedFrameTypesWithNoSyntaxTakeTheStoredSyntaxOfThatType() {
        WadoAccept.FrameOption jpeg = WadoAccept.frames("multipart/related; type=\"image/jpeg\"", 2).get(0);
        assertThat(jpeg).isEqualTo(new WadoAccept.FrameOption(false, "image/jpeg", null, true));
        assertThat(jpeg.partType(JPEG_BASELINE, true)).isEqualTo("image/jpeg");
        assertThat(jpeg.partType("1.2.840.10008.1.2.4.80", true)).as("JPEG-LS is image/jls").isNull();
        assertThat(jpeg.partType(EXPLICIT_LE, false)).as("native frames are no JPEG").isNull();
    }
}
