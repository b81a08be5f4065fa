package org.arca.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Generated datasets (random tags, VRs, lengths, nesting) survive write → read and JSON → dataset → JSON. */
class RandomDatasetTest {
    private static final long SEED = Long.getLong("arca.test.seed", 20240611L);
    private static final VR[] VRS = {VR.AE, VR.AS, VR.AT, VR.CS, VR.DA, VR.DS, VR.DT, VR.FL, VR.FD, VR.IS, VR.LO,
            VR.LT, VR.OB, VR.OD, VR.OF, VR.OL, VR.OV, VR.OW, VR.PN, VR.SH, VR.SL, VR.SQ, VR.SS, VR.ST, VR.SV, VR.TM,
            VR.UC, VR.UI, VR.UL, VR.UN, VR.UR, VR.US, VR.UT, VR.UV};

    @Test
    void explicitSyntaxesPreserveEveryElement() throws IOException {
        Random r = new Random(SEED);
        for (int i = 0; i < 300; i++) {
            Attributes a = dataset(r, 0, false);
            for (TransferSyntax ts : List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN,
                    TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)) {
                assertThat(roundTrip(a, ts)).as("seed %d iteration %d %s", SEED, i, ts.name()).isEqualTo(a);
            }
        }
    }

    @Test
    void implicitSyntaxPreservesDictionaryElements() throws IOException {
        Random r = new Random(SEED + 1);
        for (int i = 0; i < 300; i++) {
            Attributes a = dataset(r, 0, true);
            assertThat(roundTrip(a, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)).as("seed %d iteration %d", SEED, i)
                    .isEqualTo(a);
        }
    }

    @Test
    void jsonToDatasetToJsonIsStable() throws IOException {
        Random r = new Random(SEED + 2);
        for (int i = 0; i < 300; i++) {
            Attributes a = dataset(r, 0, false);
            String json = DicomJson.toJson(a, DicomJson.Options.INLINE);
            String again = DicomJson.toJson(DicomJson.fromJson(json), DicomJson.Options.INLINE);
            assertThat(again).as("seed %d iteration %d", SEED, i).isEqualTo(json);
        }
    }

    private static Attributes roundTrip(Attributes a, TransferSyntax ts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.write(out, a, ts);
        return DicomReader.read(out.toByteArray(), DicomReader.Options.DEFAULT).dataset();
    }

    static Attributes dataset(Random r, int depth, boolean dictionaryOnly) {
        Attributes a = new Attributes();
        int n = r.nextInt(depth == 0 ? 25 : 6);
        for (int i = 0; i < n; i++) {
            int tag;
            VR vr;
            if (dictionaryOnly) {
                do {
                    tag = Tag.of(0x0008 + 2 * r.nextInt(40), r.nextInt(0x1200));
                } while (!usableDictionaryTag(tag));
                vr = DataDictionary.vrOf(tag);
            } else {
                tag = Tag.of(0x0008 + r.nextInt(0x7000), 1 + r.nextInt(0xFFFE));
                if (Tag.isPrivateCreator(tag) || tag == Tag.SpecificCharacterSet) {
                    continue;
                }
                vr = VRS[r.nextInt(VRS.length)];
            }
            if (vr == VR.SQ) {
                if (depth >= 4) {
                    continue;
                }
                List<Attributes> items = new ArrayList<>();
                for (int k = r.nextInt(3); k > 0; k--) {
                    items.add(dataset(r, depth + 1, dictionaryOnly));
                }
                a.setSequence(tag, items);
            } else {
                a.set(tag, vr, new Value.Bytes(value(r, vr)));
            }
        }
        return a;
    }

    private static boolean usableDictionaryTag(int tag) {
        return DataDictionary.lookup(tag).filter(e -> e.vrs().size() == 1).isPresent()
                && tag != Tag.SpecificCharacterSet && Tag.element(tag) != 0 && tag != Tag.PixelData;
    }

    static byte[] value(Random r, VR vr) {
        int count = r.nextInt(4);
        if (vr.kind() == VR.Kind.BINARY) {
            int unit = vr == VR.AT ? 4 : vr.unitSize();
            byte[] b = new byte[count * unit];
            r.nextBytes(b);
            if (vr == VR.FL || vr == VR.FD) {
                // Keep finite numbers: NaN payloads do not survive JSON.
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < count; i++) {
                    if (vr == VR.FL) {
                        bb.putFloat(i * 4, (float) r.nextGaussian() * 1000);
                    } else {
                        bb.putDouble(i * 8, r.nextGaussian() * 1e6);
                    }
                }
            }
            return b;
        }
        if (vr.kind() == VR.Kind.BULK) {
            byte[] b = new byte[r.nextInt(40) / vr.unitSize() * vr.unitSize()];
            r.nextBytes(b);
            return Attributes.pad(b, vr);
        }
        List<String> values = new ArrayList<>();
        int n = vr.isMultiValuedText() ? count : 1;
        for (int i = 0; i < n; i++) {
            values.add(switch (vr) {
                case DS -> Double.toString(Math.round(r.nextGaussian() * 1e4) / 100.0);
                case IS -> Integer.toString(r.nextInt(200000) - 100000);
                case UI -> "1.2." + r.nextInt(100000) + "." + r.nextInt(1000);
                case DA -> "2024" + String.format("%02d%02d", 1 + r.nextInt(12), 1 + r.nextInt(28));
                case TM -> String.format("%02d%02d%02d", r.nextInt(24), r.nextInt(60), r.nextInt(60));
                case PN -> word(r) + "^" + word(r) + (r.nextBoolean() ? "=" + word(r) : "");
                default -> word(r);
            });
        }
        return Attributes.pad(String.join("\\", values).getBytes(java.nio.charset.StandardCharsets.US_ASCII), vr);
    }

    private static String word(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1 + r.nextInt(8); i > 0; i--) {
            sb.append((char) ('A' + r.nextInt(26)));
        }
        return sb.toString();
    }
}
