package org.arca.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reading for the index without pixel data, and bulk values handed out as file offsets. */
class StreamingReadTest {
    private static final Path CT = Corpus.DIR.resolve("ct16.dcm");

    @Test
    void stopsAfterTheRequestedTag() throws IOException {
        DicomFile f = DicomReader.read(CT, DicomReader.Options.DEFAULT.withStopAfter(Tag.SeriesInstanceUID));
        assertThat(f.complete()).isFalse();
        assertThat(f.dataset().string(Tag.SeriesInstanceUID)).isPresent();
        assertThat(f.dataset().contains(Tag.Rows)).isFalse();
        assertThat(f.dataset().contains(Tag.PixelData)).isFalse();
        assertThat(DicomReader.read(CT).complete()).isTrue();
    }

    @Test
    void bulkValuesAreOffsetsIntoTheFile() throws IOException {
        DicomFile f = DicomReader.read(CT, DicomReader.Options.DEFAULT.withBulkThreshold(1024));
        Element pixels = f.dataset().get(Tag.PixelData).orElseThrow();
        BulkData bulk = ((Value.Bulk) pixels.value()).data();
        assertThat(bulk.length()).isEqualTo(64 * 64 * 2);
        byte[] file = Files.readAllBytes(CT);
        assertThat(bulk.offset() + bulk.length()).isEqualTo(file.length);
        try (InputStream in = bulk.open()) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(file, (int) bulk.offset(), file.length));
        }
        byte[] inline = DicomReader.read(CT).dataset().bytes(Tag.PixelData).orElseThrow();
        assertThat(bulk.readAll(VR.OW)).isEqualTo(inline);
    }

    @Test
    void bigEndianBulkValuesAreSwappedWhenLoaded() throws IOException {
        DicomFile f = DicomReader.read(Corpus.DIR.resolve("ct16_explicit_be.dcm"),
                DicomReader.Options.DEFAULT.withBulkThreshold(1024));
        BulkData bulk = ((Value.Bulk) f.dataset().get(Tag.PixelData).orElseThrow().value()).data();
        assertThat(bulk.bigEndian()).isTrue();
        assertThat(bulk.readAll(VR.OW)).isEqualTo(DicomReader.read(CT).dataset().bytes(Tag.PixelData).orElseThrow());
    }

    @Test
    void jsonWritesBulkDataUrisAboveTheThreshold() throws IOException {
        DicomFile f = DicomReader.read(CT, DicomReader.Options.DEFAULT.withBulkThreshold(1024));
        String json = DicomJson.toJson(f.dataset(), DicomJson.Options.INLINE.withBulkData(1024,
                (path, e) -> "https://arca.example/bulk/" + path));
        assertThat(json).contains("\"BulkDataURI\":\"https://arca.example/bulk/7FE00010\"");
        Attributes back = DicomJson.fromJson(json);
        assertThat(((Value.Bulk) back.get(Tag.PixelData).orElseThrow().value()).data().uri().toString())
                .isEqualTo("https://arca.example/bulk/7FE00010");
    }

    @Test
    void dictionaryKnowsRepeatingGroupsAndKeywords() {
        assertThat(DataDictionary.lookup(0x60023000).orElseThrow().keyword()).isEqualTo("OverlayData");
        assertThat(DataDictionary.lookup(0x60013000)).isEmpty(); // odd group: private, not an overlay
        assertThat(DataDictionary.vrOf(Tag.PatientName)).isEqualTo(VR.PN);
        assertThat(DataDictionary.tagOf("StudyInstanceUID")).contains(Tag.StudyInstanceUID);
        assertThat(DataDictionary.lookup(0x00080010).orElseThrow().retired()).isTrue();
        assertThat(DataDictionary.vrOf(0x00090010)).isEqualTo(VR.LO); // private creator
    }
}
