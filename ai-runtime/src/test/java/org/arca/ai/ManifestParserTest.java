package org.arca.ai;

import static org.arca.core.ArcaErrors.assertArcaError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.arca.ai.worker.OutputKind;
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
    void theOutputKindIsShownAsTheManifestNamesIt() throws Exception {
        ModelManifest.OutputSpec boxes = parse("\"kind\": \"boxes\",").output();
        assertThat(boxes.kind()).isEqualTo(OutputKind.BOXES);
        assertThat(ManifestParser.JSON.writeValueAsString(boxes)).contains("\"kind\":\"boxes\"");
        assertThatThrownBy(() -> parse("\"kind\": \"BOXES\","))
                .hasMessageContaining("output.kind: \"labelmap\", \"boxes\" or \"scores\"");
    }

    @Test
    void badSegmentationOptionsAreListedWithTheOtherProblems() {
        assertArcaError(() -> parse("\"kind\": \"labelmap\", \"segmentationType\": \"fuzzy\", \"fractionalType\": \"CHANCE\","),
                "invalid_manifest");
        assertThatThrownBy(() -> parse("\"kind\": \"labelmap\", \"segmentationType\": \"fuzzy\", \"fractionalType\": \"CHANCE\","))
                .hasMessageContaining("2 problems")
                .hasMessageContaining("output.segmentationType: \"BINARY\" (thresholded) or \"FRACTIONAL\" (probabilities)")
                .hasMessageContaining("output.fractionalType: \"PROBABILITY\" or \"OCCUPANCY\"");
        assertThatThrownBy(() -> parse("\"kind\": \"boxes\", \"segmentationType\": \"FRACTIONAL\","))
                .hasMessageContaining("output.segmentationType: only for kind \"labelmap\"");
        assertThatThrownBy(() -> parse("\"kind\": \"labelmap\", \"fractionalType\": \"OCCUPANCY\","))
                .hasMessageContaining("output.fractionalType: only with segmentationType \"FRACTIONAL\"");
    }

    private static ModelManifest parseInput(String input, String kind) {
        String manifest = ModelZips.boxFilterManifest("m", "1.0", "CT", 60)
                .replace("\"channels\": 1, \"layout\": \"NCHW\"", input)
                .replace("\"kind\": \"labelmap\"", "\"kind\": \"" + kind + "\"");
        return ManifestParser.parse(manifest.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aVolumeInputIsResampledToASizeOrASpacingAndNamesItsLayout() {
        ModelManifest.InputSpec native3d = parseInput("\"dimensions\": 3", "labelmap").input();
        assertThat(native3d.volume()).isTrue();
        assertThat(native3d.layout()).isEqualTo("NCDHW");
        assertThat(parseInput("\"dimensions\": 3, \"spacing\": [0.8, 0.8, 2]", "labelmap").input().spacing())
                .containsExactly(0.8, 0.8, 2.0);
        ModelManifest.InputSpec sized = parseInput("\"dimensions\": 3, \"resize\": {\"width\": 64, \"height\": 48, "
                + "\"depth\": 32}", "labelmap").input();
        assertThat(List.of(sized.width(), sized.height(), sized.depth())).containsExactly(64, 48, 32);
        assertThat(parseInput("\"channels\": 1", "labelmap").input().volume()).isFalse();
    }

    @Test
    void badVolumeOptionsAreListedWithTheOtherProblems() {
        assertThatThrownBy(() -> parseInput("\"dimensions\": 3, \"layout\": \"NCHW\", \"spacing\": [1, 1], "
                + "\"resize\": {\"width\": 64, \"height\": 64}", "boxes"))
                .hasMessageContaining("5 problems")
                .hasMessageContaining("input.layout: \"NCDHW\" for a volume")
                .hasMessageContaining("input.resize: width, height and depth together for a volume")
                .hasMessageContaining("input.spacing: three numbers [x, y, z] in mm, each greater than 0")
                .hasMessageContaining("input.spacing and input.resize: one or the other")
                .hasMessageContaining("output.kind: \"labelmap\" for a volume input");
        assertThatThrownBy(() -> parseInput("\"dimensions\": 4", "labelmap")).hasMessageContaining("dimensions: a whole number from 2 to 3");
        assertThatThrownBy(() -> parseInput("\"spacing\": [1, 1, 1]", "labelmap"))
                .hasMessageContaining("input.resize.depth and input.spacing: only for \"dimensions\": 3");
        assertThatThrownBy(() -> parseInput("\"dimensions\": 3, \"channels\": 3, \"spacing\": [1, 0, 1]", "labelmap"))
                .hasMessageContaining("input.pixels and input.channels: a volume is \"modality\" values in 1 channel")
                .hasMessageContaining("input.spacing: three numbers");
    }
}
