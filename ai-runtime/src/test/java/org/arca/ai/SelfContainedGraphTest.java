package org.arca.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The external-data check on graphs encoded here, including tensors hidden in subgraphs and broken files. */
class SelfContainedGraphTest {
    @TempDir
    Path dir;

    private Optional<SelfContainedGraph.Problem> check(byte[] graph) throws IOException {
        return SelfContainedGraph.problem(Files.write(dir.resolve("g" + Arrays.hashCode(graph) + ".onnx"), graph));
    }

    @Test
    void graphsThatHoldTheirTensorsPass() throws IOException {
        assertThat(check(OnnxGraphs.boxFilter())).isEmpty();
        assertThat(check(OnnxGraphs.endlessLoop())).isEmpty();
        assertThat(check(OnnxGraphs.memoryHog())).isEmpty();
    }

    @Test
    void anExternalInitializerIsFoundWhereverItPoints() throws IOException {
        for (String location : new String[] {"/etc/passwd", "../../x", "weights.bin"}) {
            assertThat(check(OnnxGraphs.boxFilterWithExternalWeights(location))).hasValueSatisfying(p -> {
                assertThat(p.external()).isTrue();
                assertThat(p.text()).isEqualTo("tensor 'w' keeps its data in an external file");
            });
        }
    }

    @Test
    void anExternalTensorInsideALoopBodyIsFoundToo() throws IOException {
        // data_location = EXTERNAL alone (no external_data entries) counts as well.
        OnnxGraphs.Proto tensor = new OnnxGraphs.Proto().varint(1, 1).varint(2, 1).string(8, "hidden").varint(14, 1);
        OnnxGraphs.Proto body = new OnnxGraphs.Proto().string(2, "body").message(5, tensor);
        OnnxGraphs.Proto attribute = new OnnxGraphs.Proto().string(1, "body").message(6, body).varint(20, 5);
        OnnxGraphs.Proto node = new OnnxGraphs.Proto().string(4, "Loop").message(5, attribute);
        OnnxGraphs.Proto graph = new OnnxGraphs.Proto().message(1, node).string(2, "outer");
        byte[] model = new OnnxGraphs.Proto().varint(1, 8).message(7, graph).bytes();
        assertThat(check(model)).hasValueSatisfying(p -> {
            assertThat(p.external()).isTrue();
            assertThat(p.text()).contains("'hidden'");
        });
    }

    @Test
    void bytesThatAreNotProtobufOrNestTooDeepAreMalformedNotExternal() throws IOException {
        byte[] good = OnnxGraphs.boxFilter();
        assertThat(check(Arrays.copyOf(good, good.length - 7))).hasValueSatisfying(p -> {
            assertThat(p.external()).isFalse();
            assertThat(p.text()).startsWith("the graph is not a valid ONNX file");
        });
        OnnxGraphs.Proto deep = new OnnxGraphs.Proto().string(2, "leaf");
        for (int i = 0; i < SelfContainedGraph.MAX_DEPTH; i++) {
            OnnxGraphs.Proto attribute = new OnnxGraphs.Proto().message(6, deep);
            deep = new OnnxGraphs.Proto().message(1, new OnnxGraphs.Proto().message(5, attribute));
        }
        byte[] model = new OnnxGraphs.Proto().message(7, deep).bytes();
        assertThat(check(model)).hasValueSatisfying(p -> assertThat(p.text()).contains("nests messages more than 64 deep"));
    }
}
