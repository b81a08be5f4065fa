package org.arca.dicom.image.jpegls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Default thresholds worked out by hand from T.87 C.2.4.1.1.1. Below MAXVAL 128 T.87 has a formula of its own,
 * which DCMTK 3.6.7's CharLS does not apply (so the DCMTK oracle cannot check these); pydicom's 7-bit test file
 * JLSL_08_07_0_1F.dcm, which has no preset-parameters segment, decodes to pydicom's reference values with them.
 */
class CodingParametersTest {
    @ParameterizedTest
    @CsvSource({
            // precision, NEAR, T1, T2, T3
            "8, 0, 3, 7, 21",
            "8, 2, 9, 17, 35",       // FACTOR 1: 1 + 2 + 3*2, 4 + 3 + 5*2, 17 + 4 + 7*2
            "10, 0, 6, 19, 72",      // FACTOR (1023 + 128) / 256 = 4
            "12, 0, 18, 67, 276",    // FACTOR 16
            "16, 0, 18, 67, 276",    // MAXVAL above 4095 counts as 4095
            "7, 0, 2, 3, 10",        // FACTOR 256 / 128 = 2: max(2, 1), max(3, 3), max(4, 10)
            "6, 3, 9, 16, 26",       // FACTOR 4: max(2, 0 + 9), max(3, 1 + 15), max(4, 5 + 21)
            "2, 0, 2, 3, 3",         // FACTOR 64; T3 = 4 is above MAXVAL 3, so it falls back to T2
            "4, 1, 3, 5, 8",         // FACTOR 16: max(2, 0 + 3), max(3, 0 + 5), max(4, 1 + 7)
    })
    void defaultThresholdsFollowT87(int precision, int near, int t1, int t2, int t3) {
        CodingParameters p = CodingParameters.of(precision, near, PresetParameters.DEFAULTS);
        assertThat(new int[] {p.t1(), p.t2(), p.t3(), p.reset()}).isEqualTo(new int[] {t1, t2, t3, 64});
    }
}
