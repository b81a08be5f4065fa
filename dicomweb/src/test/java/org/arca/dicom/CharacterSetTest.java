package org.arca.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Character sets DCMTK's dcm2json cannot convert on this platform (ISO 2022 multi-byte sets), checked
 * against the expected text of PS3.5 Annexes H (Japanese), I (Korean) and J (Chinese); the other
 * sets are covered by the corpus JSON comparison.
 */
class CharacterSetTest {

    private static Attributes read(String name) throws IOException {
        return DicomReader.read(Corpus.DIR.resolve(name)).dataset();
    }

    @Test
    void japaneseJisX0208() throws IOException {
        Attributes a = read("charset_jis.dcm");
        assertThat(a.getString(Tag.PatientName, null)).isEqualTo("Yamada^Tarou=山田^太郎=やまだ^たろう");
        assertThat(a.getString(Tag.StudyDescription, null)).isEqualTo("こんにちは");
    }

    @Test
    void japaneseKatakanaAndJisX0212() throws IOException {
        Attributes a = read("charset_jis0212.dcm");
        String expected0212 = new String(new byte[] {(byte) 0x8F, (byte) 0xB0, (byte) 0xA1}, "EUC-JP");
        assertThat(a.getString(Tag.PatientName, null)).isEqualTo("ﾔﾏﾀﾞ^ﾀﾛｳ=山田^" + expected0212);
    }

    @Test
    void korean() throws IOException {
        assertThat(read("charset_korean.dcm").getString(Tag.PatientName, null)).isEqualTo("Hong^Gildong=洪^吉洞=홍^길동");
    }

    @Test
    void chineseGb2312() throws IOException {
        assertThat(read("charset_gb2312.dcm").getString(Tag.PatientName, null)).isEqualTo("Zhang^XiaoDong=张^小东=");
    }

    @Test
    void singleByteSetsDecode() throws IOException {
        assertThat(read("charset_latin1.dcm").getString(Tag.PatientName, null)).isEqualTo("Buc^Jérôme");
        assertThat(read("charset_cyrillic.dcm").getString(Tag.StudyDescription, null)).isEqualTo("Москва");
        assertThat(read("charset_thai.dcm").getString(Tag.StudyDescription, null)).isEqualTo("กรุงเทพ");
        assertThat(read("charset_katakana.dcm").getString(Tag.PatientName, null)).isEqualTo("ﾔﾏﾀﾞ^ﾀﾛｳ");
        assertThat(read("charset_2022_greek.dcm").getString(Tag.PatientName, null)).isEqualTo("Dionysios=Διονυσιος");
    }

    @Test
    void iso2022EncodingRoundTrips() {
        for (List<String> terms : List.of(List.of("", "ISO 2022 IR 87"), List.of("", "ISO 2022 IR 149"),
                List.of("", "ISO 2022 IR 58"), List.of("ISO 2022 IR 13", "ISO 2022 IR 87"),
                List.of("ISO 2022 IR 100", "ISO 2022 IR 126", "ISO 2022 IR 144"))) {
            SpecificCharacterSet cs = SpecificCharacterSet.of(terms);
            String text = switch (terms.get(terms.size() - 1)) {
                case "ISO 2022 IR 87" -> "Yamada^Tarou=山田^太郎=やまだ^たろう";
                case "ISO 2022 IR 149" -> "Hong^Gildong=洪^吉洞=홍^길동";
                case "ISO 2022 IR 58" -> "Zhang^XiaoDong=张^小东";
                default -> "Jérôme=Διονυσιος=Москва";
            };
            assertThat(cs.decode(cs.encode(text))).as(terms.toString()).isEqualTo(text);
        }
        // The PS3.5 H.3.1 example encodes to the exact bytes of the standard.
        SpecificCharacterSet jp = SpecificCharacterSet.of(List.of("", "ISO 2022 IR 87"));
        assertThat(new String(jp.encode("Yamada^Tarou=山田^太郎"), java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo("Yamada^Tarou=\u001b$B;3ED\u001b(B^\u001b$BB@O:\u001b(B");
    }

    @Test
    void unknownTermsAreRejected() {
        assertThatThrownBy(() -> SpecificCharacterSet.of(List.of("ISO_IR 999"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpecificCharacterSet.of(List.of("", "ISO 2022 IR 999")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
