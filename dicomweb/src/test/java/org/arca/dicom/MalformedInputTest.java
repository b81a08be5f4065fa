package org.arca.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Each kind of malformed input the reader meets ends in a DicomFormatException with the offset and the tag. */
class MalformedInputTest {
    private static final String EXPLICIT = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();

    private static DicomFormatException fails(byte[] input) {
        DicomFormatException e = catchThrowableOfType(DicomFormatException.class,
                () -> DicomReader.read(input, DicomReader.Options.DEFAULT));
        assertThat(e).as("reading from bytes").isNotNull();
        DicomFormatException s = catchThrowableOfType(DicomFormatException.class,
                () -> DicomReader.read(new ByteArrayInputStream(input), DicomReader.Options.DEFAULT));
        assertThat(s).as("reading from a stream of unknown length").isNotNull();
        return e;
    }

    @Test
    void truncatedFilesFailInsideTheCutValue() throws IOException {
        byte[] whole = Files.readAllBytes(Corpus.DIR.resolve("vrs_explicit_le.dcm"));
        int failures = 0;
        for (int cut = 1; cut < whole.length; cut += 7) {
            byte[] part = Arrays.copyOf(whole, cut);
            try {
                DicomReader.read(part, DicomReader.Options.DEFAULT);
            } catch (DicomFormatException e) {
                failures++;
                assertThat(e.offset()).isBetween(0L, (long) cut);
            }
        }
        assertThat(failures).isGreaterThan(whole.length / 7 / 2);
        // A cut in the middle of the patient name value names that element.
        byte[] cut = Arrays.copyOf(whole, indexOf(whole, "M\u00fcller".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)) + 3);
        DicomFormatException e = fails(cut);
        assertThat(e.tag()).isEqualTo(Tag.PatientName);
    }

    @Test
    void lengthBeyondTheEnd() {
        byte[] b = new Bytes().preambleAndMeta(EXPLICIT).tag(Tag.PatientName).ascii("PN").u16(0xFFF0).ascii("Doe^John").toByteArray();
        DicomFormatException e = fails(b);
        assertThat(e.tag()).isEqualTo(Tag.PatientName);
        assertThat(e.offset()).isGreaterThan(132);
    }

    @Test
    void fourGigabyteLengthInAOneKilobyteFile() {
        byte[] b = new Bytes().preambleAndMeta(EXPLICIT).shortElement(Tag.PatientID, "LO", "ID")
                .tag(Tag.PixelData).ascii("OB").u16(0).u32(0xFFFFFFF0L).raw(new byte[1024]).toByteArray();
        DicomFormatException e = fails(b);
        assertThat(e.tag()).isEqualTo(Tag.PixelData);
        assertThat(e.getMessage()).contains("beyond the end");
    }

    @Test
    void oddLength() {
        byte[] b = new Bytes().preambleAndMeta(EXPLICIT).shortElement(Tag.PatientID, "LO", "ODD").toByteArray();
        assertThat(fails(b).tag()).isEqualTo(Tag.PatientID);
    }

    @Test
    void unknownVr() {
        byte[] b = new Bytes().preambleAndMeta(EXPLICIT).shortElement(Tag.PatientID, "ZZ", "ID").toByteArray();
        DicomFormatException e = fails(b);
        assertThat(e.tag()).isEqualTo(Tag.PatientID);
        assertThat(e.getMessage()).contains("unknown VR");
    }

    @Test
    void invalidCharacterSetTerm() {
        byte[] b = new Bytes().preambleAndMeta(EXPLICIT).shortElement(Tag.SpecificCharacterSet, "CS", "ISO_IR 999")
                .toByteArray();
        DicomFormatException e = fails(b);
        assertThat(e.tag()).isEqualTo(Tag.SpecificCharacterSet);
        assertThat(e.getMessage()).contains("ISO_IR 999");
    }

    @Test
    void metaGroupLengthTooLongOrTooShort() {
        Bytes group = new Bytes().shortElement(Tag.TransferSyntaxUID, "UI", EXPLICIT + "\0");
        byte[] g = group.toByteArray();
        byte[] tooLong = new Bytes().raw(new byte[128]).ascii("DICM").tag(Tag.FileMetaInformationGroupLength)
                .ascii("UL").u16(4).u32(g.length + 10L).raw(g).shortElement(Tag.PatientID, "LO", "ID")
                .shortElement(Tag.PatientName, "PN", "AB").toByteArray();
        assertThat(fails(tooLong).tag()).isEqualTo(Tag.FileMetaInformationGroupLength);
        byte[] tooShort = new Bytes().raw(new byte[128]).ascii("DICM").tag(Tag.FileMetaInformationGroupLength)
                .ascii("UL").u16(4).u32(4).raw(g).shortElement(Tag.PatientID, "LO", "ID").toByteArray();
        // The element that crosses the declared end of the group is named.
        assertThat(fails(tooShort).tag()).isEqualTo(Tag.TransferSyntaxUID);
    }

    @Test
    void metaGroupThatLiesAboutTheTransferSyntax() {
        // Says implicit VR, but the dataset is explicit: the VR bytes are read as a huge length.
        byte[] b = new Bytes().preambleAndMeta(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid())
                .shortElement(Tag.PatientID, "LO", "ID").shortElement(Tag.PatientName, "PN", "AB").toByteArray();
        fails(b);
        // Says explicit, but the dataset is implicit: the length bytes are no VR.
        byte[] c = new Bytes().preambleAndMeta(EXPLICIT).tag(Tag.PatientID).u32(2).ascii("ID").toByteArray();
        assertThat(fails(c).getMessage()).contains("unknown VR");
    }

    @Test
    void transferSyntaxUidThatIsNoUid() throws IOException {
        // Damaged copies of known UIDs the fuzzer produced: empty components, leading zeros.
        for (String uid : new String[] {"..2.840.10008.1.2.5", "1.2.840.10008.1.2.01", "1.2.840.10008.1.2.1.", "1.2.8a"}) {
            byte[] b = new Bytes().preambleAndMeta(uid).shortElement(Tag.PatientID, "LO", "ID").toByteArray();
            assertThat(fails(b).getMessage()).as(uid).contains("invalid transfer syntax");
        }
        // A well-formed UID Arca does not know is read as a later encapsulated syntax.
        byte[] b = new Bytes().preambleAndMeta("1.2.840.10008.1.2.4.999").shortElement(Tag.PatientID, "LO", "ID").toByteArray();
        DicomFile f = DicomReader.read(b, DicomReader.Options.DEFAULT);
        assertThat(f.transferSyntax().encapsulated()).isTrue();
        assertThat(f.dataset().string(Tag.PatientID)).contains("ID");
    }

    @Test
    void tenThousandNestedSequences() {
        Bytes b = new Bytes().preambleAndMeta(EXPLICIT);
        int depth = 10_000;
        for (int i = 0; i < depth; i++) {
            b.tag(0x00400275).ascii("SQ").u16(0).u32(0xFFFFFFFFL).tag(Tag.Item).u32(0xFFFFFFFFL);
        }
        for (int i = 0; i < depth; i++) {
            b.tag(Tag.ItemDelimitationItem).u32(0).tag(Tag.SequenceDelimitationItem).u32(0);
        }
        DicomFormatException e = fails(b.toByteArray());
        assertThat(e.getMessage()).contains("nested deeper");
        assertThat(e.tag()).isEqualTo(0x00400275);
    }

    @Test
    void itemLongerThanItsSequence() {
        byte[] b = new Bytes().preambleAndMeta(EXPLICIT).tag(0x00400275).ascii("SQ").u16(0).u32(16)
                .tag(Tag.Item).u32(100).shortElement(Tag.PatientID, "LO", "ID").raw(new byte[100]).toByteArray();
        assertThat(fails(b).getMessage()).contains("beyond its container");
    }

    @Test
    void corruptDeflatedData() {
        byte[] b = new Bytes().preambleAndMeta(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.uid())
                .raw(new byte[] {(byte) 0xFF, 0x13, 0x77, 0x01, 0x02}).toByteArray();
        fails(b);
    }

    @Test
    void notDicomAtAll() {
        assertThatThrownBy(() -> DicomReader.read(new byte[3], DicomReader.Options.DEFAULT))
                .isInstanceOf(DicomFormatException.class);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
