package org.arca.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.arca.core.ArcaException;
import org.junit.jupiter.api.Test;

/** What a submitter sees for the output options of a label map, without a repository: the parser alone. */
class ManifestParserTest {
    private static final String LABELMAP = "\"kind\": \"labelmap\", \"threshold\": 0.5,";

    private static ModelManifest parse(String outputOptions) {
        String manifest = ModelZips.boxFilterManifest("m", "1.0", "CT", 60).replace(LABELMAP, outputOptions);
        return ManifestParser.parse(manifest.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLabelMapIsBinaryUnlessTheManifestAsksForFractions() {
        ModelManifest.OutputSpec binary = parse(LABELMAP).output();
        assertThat(binary.segmentationType()).isEqualTo("BINARY");
        assertThat(binary.fractional()).isFalse();

        ModelManifest.OutputSpec fractional = parse("\"kind\": \"labelmap\", \"segmentationType\": \"FRACTIONAL\",").output();
        assertThat(fractional.fractional()).isTrue();
        assertThat(fractional.fractionalType()).isEqualTo("PROBABILITY");

        ModelManifest.OutputSpec occupancy = parse("\"kind\": \"labelmap\", \"segmentationType\": \"FRACTIONAL\", "
                + "\"fractionalType\": \"OCCUPANCY\", \"activation\": \"sigmoid\",").output();
        assertThat(occupancy.fractionalType()).isEqualTo("OCCUPANCY");
        assertThat(occupancy.activation()).isEqualTo("sigmoid");
    }

    @Test
    void badSegmentationOptionsAreListedWithTheOtherProblems() {
        assertThatThrownBy(() -> parse("\"kind\": \"labelmap\", \"segmentationType\": \"fuzzy\", \"fractionalType\": \"CHANCE\","))
                .isInstanceOf(ArcaException.class)
                .extracting(e -> ((ArcaException) e).code()).isEqualTo("invalid_manifest");
        assertThatThrownBy(() -> parse("\"kind\": \"labelmap\", \"segmentationType\": \"fuzzy\", \"fractionalType\": \"CHANCE\","))
                .hasMessageContaining("2 problems")
                .hasMessageContaining("output.segmentationType: \"BINARY\" (thresholded) or \"FRACTIONAL\" (probabilities)")
                .hasMessageContaining("output.fractionalType: \"PROBABILITY\" or \"OCCUPANCY\"");
        assertThatThrownBy(() -> parse("\"kind\": \"boxes\", \"segmentationType\": \"FRACTIONAL\","))
                .hasMessageContaining("output.segmentationType: only for kind \"labelmap\"");
        assertThatThrownBy(() -> parse("\"kind\": \"labelmap\", \"fractionalType\": \"OCCUPANCY\","))
                .hasMessageContaining("output.fractionalType: only with segmentationType \"FRACTIONAL\"");
    }
}
