package org.arca.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects built byte by byte for the encodings the conformance corpus (made by DCMTK, which writes them
 * correctly) cannot hold: private sequences nested in Implicit VR with undefined lengths and an odd-length
 * value, a meta group without a Transfer Syntax UID, "US or SS" attributes read without VRs, person names
 * with only empty component groups, Data Set Trailing Padding. Each is checked for what Arca must make of
 * it, and, where DCMTK is installed, its JSON against {@code dcm2json}'s (after {@link Corpus#normalise}).
 */
class BuiltInputConformanceTest {
    private static final String IMPLICIT = TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid();
    private static final String EXPLICIT = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final int PRIVATE_CREATOR = 0x00090010;
    private static final int PRIVATE_SEQUENCE = 0x00091001;
    private static final int PRIVATE_TEXT = 0x00091002;
    /** The attributes DCMTK reads as SS when the same dataset's Pixel Representation is 1. */
    private static final int[] PIXEL_VALUE_TAGS = {0x00280106, 0x00280107, 0x00280108, 0x00280109, 0x00280120,
            0x00280121, 0x00409211, 0x00409216, 0x00603004, 0x00603006};
    /** "US or SS" attributes DCMTK keeps US whatever the Pixel Representation (descriptors start with a count). */
    private static final int[] ALWAYS_US_TAGS = {0x00280104, 0x00281101};
    private static final int REAL_WORLD_VALUE_MAPPING = 0x00409096;

    @TempDir
    Path dir;

    // ---- building ----

    /** An Implicit VR Little Endian element. */
    private static Bytes implicit(Bytes b, int tag, byte[] value) {
        return b.tag(tag).u32(value.length).raw(value);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] us(int... values) {
        Bytes b = new Bytes();
        for (int v : values) {
            b.u16(v);
        }
        return b.toByteArray();
    }

    /** Preamble and a meta group (with its group length) holding the given explicit VR elements. */
    private static Bytes part10(Bytes group) {
        byte[] g = group.toByteArray();
        return new Bytes().raw(new byte[128]).ascii("DICM").tag(Tag.FileMetaInformationGroupLength).ascii("UL").u16(4)
                .u32(g.length).raw(g);
    }

    private static Bytes metaWith(String tsUid) {
        return part10(new Bytes().shortElement(Tag.TransferSyntaxUID, "UI", tsUid.length() % 2 == 0 ? tsUid : tsUid + "\0"));
    }

    /**
     * nested_priv_SQ.dcm's shape: a private sequence of undefined length holding, in an item of undefined length,
     * another one, whose item holds a private text; after it a private value of odd length (9 bytes).
     */
    private static byte[] nestedPrivateSequences() {
        Bytes b = metaWith(IMPLICIT);
        implicit(b, PRIVATE_CREATOR, text("ARCA TEST "));
        b.tag(PRIVATE_SEQUENCE).u32(UNDEFINED).tag(Tag.Item).u32(UNDEFINED);
        b.tag(PRIVATE_SEQUENCE).u32(UNDEFINED).tag(Tag.Item).u32(UNDEFINED);
        implicit(b, PRIVATE_TEXT, text("Double Nested SQ"));
        b.tag(Tag.ItemDelimitationItem).u32(0).tag(Tag.SequenceDelimitationItem).u32(0);
        implicit(b, PRIVATE_TEXT, text("Nested SQ"));
        b.tag(Tag.ItemDelimitationItem).u32(0).tag(Tag.SequenceDelimitationItem).u32(0);
        implicit(b, Tag.PatientID, text("ID-9"));
        return b.toByteArray();
    }

    // ---- the cases ----

    @Test
    void privateSequencesNestedWithUndefinedLengthsAndAnOddLengthPrivateValue() throws IOException {
        DicomFile file = DicomReader.read(nestedPrivateSequences(), DicomReader.Options.DEFAULT);
        Element outer = file.dataset().get(PRIVATE_SEQUENCE).orElseThrow();
        assertThat(outer.vr()).isEqualTo(VR.SQ);
        Attributes item = ((Value.Sequence) outer.value()).items().getFirst();
        assertThat(item.get(PRIVATE_SEQUENCE).orElseThrow().vr()).isEqualTo(VR.SQ);
        // The odd value is kept with a zero byte added, as DCMTK pads it.
        assertThat(item.bytes(PRIVATE_TEXT).orElseThrow()).isEqualTo(text("Nested SQ\0"));
        assertThat(file.dataset().getString(Tag.PatientID, null)).isEqualTo("ID-9");
        sameAsDcm2json(nestedPrivateSequences(), file);
    }

    @Test
    void anOddLengthIsStillRefusedWhereTheVrHasUnits() {
        byte[] b = implicit(metaWith(IMPLICIT), Tag.Rows, new byte[3]).toByteArray();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DicomReader.read(b, DicomReader.Options.DEFAULT))
                .isInstanceOf(DicomFormatException.class).hasMessageContaining("odd value length");
    }

    @Test
    void aMetaGroupWithoutTransferSyntaxIsReadInTheEncodingTheDatasetShows() throws IOException {
        Bytes group = new Bytes().tag(Tag.MediaStorageSOPClassUID).ascii("UI").u16(0);
        byte[] implicitData = implicit(implicit(new Bytes(), Tag.SOPClassUID, text("1.2.3\0")), Tag.PatientID,
                text("IMPL")).toByteArray();
        byte[] explicitData = new Bytes().shortElement(Tag.SOPClassUID, "UI", "1.2.3\0")
                .shortElement(Tag.PatientID, "LO", "EXPL").toByteArray();
        byte[] bigEndianData = new Bytes(true).shortElement(Tag.SOPClassUID, "UI", "1.2.3\0")
                .shortElement(Tag.PatientID, "LO", "BIGE").toByteArray();
        record Case(byte[] data, TransferSyntax ts, String id) {
        }
        for (Case c : List.of(new Case(implicitData, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, "IMPL"),
                new Case(explicitData, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, "EXPL"),
                new Case(bigEndianData, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, "BIGE"))) {
            byte[] input = part10(group).raw(c.data()).toByteArray();
            DicomFile file = DicomReader.read(input, DicomReader.Options.DEFAULT);
            assertThat(file.transferSyntax()).as(c.id()).isEqualTo(c.ts());
            assertThat(file.dataset().getString(Tag.PatientID, null)).isEqualTo(c.id());
            assertThat(file.meta().contains(Tag.TransferSyntaxUID)).isFalse();
            sameAsDcm2json(input, file);
        }
    }

    @Test
    void pixelValueAttributesReadWithoutVrsAreSignedWhenTheirDatasetsPixelsAre() throws IOException {
        Random random = new Random(24);
        for (int run = 0; run < 12; run++) {
            // A top-level dataset and one item of a Real World Value Mapping Sequence, each with or without a
            // Pixel Representation of its own: an item does not inherit its parent's.
            Integer topRep = pixelRepresentation(random);
            Integer itemRep = pixelRepresentation(random);
            byte[] item = pixelValues(itemRep, random, null);
            byte[] input = metaWith(IMPLICIT).raw(pixelValues(topRep, random, item)).toByteArray();
            DicomFile file = DicomReader.read(input, DicomReader.Options.DEFAULT);
            Attributes itemRead = ((Value.Sequence) file.dataset().get(REAL_WORLD_VALUE_MAPPING).orElseThrow().value()).items().getFirst();
            for (int tag : PIXEL_VALUE_TAGS) {
                assertThat(file.dataset().get(tag).orElseThrow().vr()).as("run %d top %s rep %s", run, Tag.toString(tag), topRep)
                        .isEqualTo(Integer.valueOf(1).equals(topRep) ? VR.SS : VR.US);
                assertThat(itemRead.get(tag).orElseThrow().vr()).as("run %d item %s rep %s", run, Tag.toString(tag), itemRep)
                        .isEqualTo(Integer.valueOf(1).equals(itemRep) ? VR.SS : VR.US);
            }
            for (int tag : ALWAYS_US_TAGS) {
                file.dataset().get(tag).ifPresent(e -> assertThat(e.vr()).as(Tag.toString(tag)).isEqualTo(VR.US));
            }
            sameAsDcm2json(input, file);
        }
    }

    private static Integer pixelRepresentation(Random random) {
        int pick = random.nextInt(3);
        return pick == 2 ? null : pick;
    }

    /**
     * The pixel value tags with random 16-bit values, two "US or SS" tags that stay US, the Pixel Representation
     * if any, and, when {@code item} is not null, a Real World Value Mapping Sequence holding it; in tag order.
     */
    private static byte[] pixelValues(Integer pixelRepresentation, Random random, byte[] item) {
        java.util.TreeMap<Integer, byte[]> elements = new java.util.TreeMap<>(Integer::compareUnsigned);
        if (pixelRepresentation != null) {
            elements.put(Tag.PixelRepresentation, us(pixelRepresentation));
        }
        for (int tag : PIXEL_VALUE_TAGS) {
            elements.put(tag, us(random.nextInt(0x10000)));
        }
        elements.put(0x00280104, us(random.nextInt(0x10000)));
        elements.put(0x00281101, us(256, 0xFF80, 16));
        if (item != null) {
            elements.put(REAL_WORLD_VALUE_MAPPING, new Bytes().tag(Tag.Item).u32(item.length).raw(item).toByteArray());
        }
        Bytes b = new Bytes();
        elements.forEach((tag, value) -> implicit(b, tag, value));
        return b.toByteArray();
    }

    @Test
    void personNamesWithOnlyEmptyComponentGroupsAreEmptyValues() throws IOException {
        Attributes ds = new Attributes();
        ds.setString(Tag.PatientName, VR.PN, "^^^^");
        ds.setString(0x00101001, VR.PN, "=^^^", "^^^^", "Doe^^^^=", "==", "", "^John", "=Yamada");
        ds.setString(Tag.ReferringPhysicianName, VR.PN, "^^^^=^^^^=^^^^");
        JsonNode json = Corpus.MAPPER.readTree(DicomJson.toJson(ds, DicomJson.Options.INLINE));
        assertThat(json.get("00100010").has("Value")).as("a name of empty groups only is an empty value").isFalse();
        assertThat(json.get("00080090").has("Value")).isFalse();
        assertThat(json.get("00101001").get("Value").toString())
                .isEqualTo("[null,null,{\"Alphabetic\":\"Doe\"},null,null,{\"Alphabetic\":\"^John\"},{\"Ideographic\":\"Yamada\"}]");
        byte[] input = written(ds);
        sameAsDcm2json(input, DicomReader.read(input, DicomReader.Options.DEFAULT));
    }

    @Test
    void anEmptySpecificCharacterSetIsWrittenAsTheUnicodeOfTheJson() throws IOException {
        Attributes ds = new Attributes();
        ds.set(Tag.SpecificCharacterSet, VR.CS, Value.Bytes.EMPTY);
        ds.setString(Tag.PatientID, VR.LO, "CS-EMPTY");
        JsonNode json = Corpus.MAPPER.readTree(DicomJson.toJson(ds, DicomJson.Options.INLINE));
        assertThat(json.get("00080005").get("Value").toString()).isEqualTo("[\"ISO_IR 192\"]");
        byte[] input = written(ds);
        sameAsDcm2json(input, DicomReader.read(input, DicomReader.Options.DEFAULT));
    }

    @Test
    void dataSetTrailingPaddingIsKeptAsDcm2jsonKeepsIt() throws IOException {
        // dcm2json writes (FFFC,FFFC) like any OB element, at the top level and in items. (Rewriting a file with
        // dcmodify drops it, which made it look as if DCMTK dropped it when the JSON of a stripped copy was compared.)
        byte[] item = new Bytes().shortElement(0x00081150, "UI", "1.2\0").tag(Tag.DataSetTrailingPadding).ascii("OB")
                .u16(0).u32(2).raw((byte) 1, (byte) 2).toByteArray();
        byte[] input = metaWith(EXPLICIT).shortElement(Tag.SOPClassUID, "UI", "1.2\0")
                .tag(0x00081115).ascii("SQ").u16(0).u32(item.length + 8L).tag(Tag.Item).u32(item.length).raw(item)
                .shortElement(Tag.PatientID, "LO", "PAD-1 ")
                .tag(Tag.DataSetTrailingPadding).ascii("OB").u16(0).u32(4).raw(new byte[4]).toByteArray();
        DicomFile file = DicomReader.read(input, DicomReader.Options.DEFAULT);
        JsonNode json = Corpus.MAPPER.readTree(DicomJson.toJson(file.dataset(), DicomJson.Options.INLINE));
        assertThat(json.get("FFFCFFFC").get("InlineBinary").asText()).isEqualTo("AAAAAA==");
        sameAsDcm2json(input, file);
    }

    // ---- the oracle ----

    private static byte[] written(Attributes ds) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        DicomWriter.write(out, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        return out.toByteArray();
    }

    /** Arca's JSON of what it read equals dcm2json's of the same bytes; skipped, saying so, without DCMTK. */
    private void sameAsDcm2json(byte[] input, DicomFile read) throws IOException {
        assumeTrue(LiveOracleTest.dcm2jsonAvailable(), "dcm2json (Debian package dcmtk) is not installed: "
                + "the comparison with DCMTK is skipped");
        Path in = Files.write(Files.createTempFile(dir, "built", ".dcm"), input);
        Path out = dir.resolve(in.getFileName() + ".json");
        try {
            Process p = new ProcessBuilder("dcm2json", "-q", in.toString(), out.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("dcm2json: " + log).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        JsonNode ours = Corpus.MAPPER.readTree(DicomJson.toJson(read.dataset(), DicomJson.Options.INLINE));
        JsonNode theirs = Corpus.MAPPER.readTree(out.toFile());
        assertThat(Corpus.normalise(ours).toPrettyString()).isEqualTo(Corpus.normalise(theirs).toPrettyString());
    }
}
