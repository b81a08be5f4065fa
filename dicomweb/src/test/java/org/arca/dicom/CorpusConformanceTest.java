package org.arca.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every corpus file against DCMTK's committed view of it, and read → write → read. */
class CorpusConformanceTest {

    @TestFactory
    List<DynamicTest> jsonEqualsDcm2json() throws IOException {
        return Corpus.files().stream()
                .filter(f -> Files.exists(Corpus.sibling(f, ".json")))
                .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                    DicomFile file = DicomReader.read(f);
                    Attributes ds = file.dataset();
                    if (file.transferSyntax().encapsulated()) {
                        ds.remove(Tag.PixelData); // dcm2json cannot write compressed pixel data
                    }
                    JsonNode ours = Corpus.MAPPER.readTree(DicomJson.toJson(ds, DicomJson.Options.INLINE));
                    JsonNode theirs = Corpus.MAPPER.readTree(Corpus.sibling(f, ".json").toFile());
                    assertThat(Corpus.normalise(ours).toPrettyString())
                            .isEqualTo(Corpus.normalise(theirs).toPrettyString());
                }))
                .toList();
    }

    @TestFactory
    List<DynamicTest> readWriteReadIsIdentity() throws IOException {
        return Corpus.files().stream()
                .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                    DicomFile first = DicomReader.read(f);
                    List<TransferSyntax> targets = first.transferSyntax().encapsulated()
                            ? List.of(first.transferSyntax())
                            : List.of(first.transferSyntax(), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
                                    TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN,
                                    TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
                    Attributes expected = withoutGroupLengths(first.dataset());
                    for (TransferSyntax ts : targets) {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        DicomWriter.write(out, first.dataset(), ts);
                        DicomFile again = DicomReader.read(out.toByteArray(), DicomReader.Options.DEFAULT);
                        assertThat(again.transferSyntax()).isEqualTo(ts);
                        assertThat(again.meta().getString(Tag.MediaStorageSOPInstanceUID, null))
                                .isEqualTo(first.dataset().getString(Tag.SOPInstanceUID, null));
                        Attributes actual = again.dataset();
                        if (!ts.explicitVr() && first.transferSyntax().explicitVr()) {
                            // Implicit VR loses VRs the dictionary does not know (private tags: UN).
                            assertThat(actual.size()).isEqualTo(expected.size());
                            continue;
                        }
                        assertThat(actual).as(ts.name()).isEqualTo(expected);
                    }
                }))
                .toList();
    }

    @TestFactory
    List<DynamicTest> bulkReferencesPointAtTheValueInTheFile() throws IOException {
        return Corpus.files().stream()
                .filter(f -> !f.getFileName().toString().contains("deflated"))
                .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                    Attributes inline = DicomReader.read(f).dataset();
                    Attributes bulk = DicomReader.read(f, DicomReader.Options.DEFAULT.withBulkThreshold(64)).dataset();
                    // Writing resolves bulk references from the file: the result equals the inline read.
                    ByteArrayOutputStream a = new ByteArrayOutputStream();
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    TransferSyntax ts = DicomReader.read(f).transferSyntax();
                    DicomWriter.writeDataset(a, inline, ts);
                    DicomWriter.writeDataset(b, bulk, ts);
                    assertThat(b.toByteArray()).isEqualTo(a.toByteArray());
                }))
                .toList();
    }

    static Attributes withoutGroupLengths(Attributes a) {
        Attributes copy = new Attributes();
        for (Element e : a.elements()) {
            if (Tag.element(e.tag()) == 0) {
                continue;
            }
            if (e.value() instanceof Value.Sequence s) {
                copy.set(e.tag(), e.vr(), new Value.Sequence(
                        s.items().stream().map(CorpusConformanceTest::withoutGroupLengths).toList()));
            } else {
                copy.set(e);
            }
        }
        return copy;
    }

    static byte[] read(Path p) throws IOException {
        return Files.readAllBytes(p);
    }
}
