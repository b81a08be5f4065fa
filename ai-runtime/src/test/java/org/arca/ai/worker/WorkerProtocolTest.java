package org.arca.ai.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two sides of the server↔worker protocol read what the other writes: the request in the worker's folder and
 * the report lines on its standard output, in the exact text both sides have always used.
 */
class WorkerProtocolTest {
    @TempDir
    Path dir;

    @Test
    void aRequestSurvivesItsFileWhateverItAsks() throws IOException {
        for (WorkerRequest request : List.of(
                new WorkerRequest(OutputKind.LABELMAP, 0.25, 7, "softmax", true, 3, 4),
                new WorkerRequest(OutputKind.BOXES, 0.3, 10, "none", false, 2, 1),
                new WorkerRequest(OutputKind.SCORES, 0.5, 1, "sigmoid", false, 2, 2),
                WorkerRequest.plain(3, 8))) {
            request.writeTo(dir);
            assertThat(WorkerRequest.readFrom(dir)).isEqualTo(request);
        }
    }

    @Test
    void aRequestIsWrittenWithTheKeysAndValuesTheWorkerHasAlwaysRead() throws IOException {
        new WorkerRequest(OutputKind.LABELMAP, 0.25, 7, "softmax", true, 3, 4).writeTo(dir);
        List<String> lines = Files.readAllLines(dir.resolve("request.properties"));
        assertThat(lines.get(0)).isEqualTo("#Arca worker request");
        assertThat(lines.subList(2, lines.size())).containsExactlyInAnyOrder("threshold=0.25", "minArea=7", "threads=4",
                "kind=labelmap", "activation=softmax", "segmentationType=FRACTIONAL", "dimensions=3");
        assertThat(written(new WorkerRequest(OutputKind.BOXES, 0.5, 1, "none", false, 2, 1)))
                .contains("kind=boxes", "segmentationType=BINARY", "threshold=0.5", "dimensions=2");
        assertThat(written(new WorkerRequest(OutputKind.SCORES, 1.0, 1, "none", false, 2, 1)))
                .contains("kind=scores", "threshold=1.0");
    }

    @Test
    void aKeyLeftOutMeansItsDefaultAndAnUnknownKindIsRefused() throws IOException {
        Files.writeString(dir.resolve("request.properties"), "threads=3\ndimensions=3\n");
        assertThat(WorkerRequest.readFrom(dir)).isEqualTo(WorkerRequest.plain(3, 3));
        assertThat(WorkerRequest.readFrom(dir).volume()).isTrue();
        assertThat(WorkerRequest.readFrom(dir).scoresOnly()).isFalse();

        Files.writeString(dir.resolve("request.properties"), "kind=scores\n");
        assertThat(WorkerRequest.readFrom(dir).scoresOnly()).isTrue();
        Files.writeString(dir.resolve("request.properties"), "kind=pixels\n");
        assertThatThrownBy(() -> WorkerRequest.readFrom(dir)).hasMessageContaining("pixels");
    }

    @Test
    void everyReportSurvivesItsLine() {
        List<WorkerReport> reports = List.of(new WorkerReport.Took(WorkerReport.Step.LOADED, 412),
                new WorkerReport.Progress(3, 10), new WorkerReport.Took(WorkerReport.Step.INFERENCE, 0),
                new WorkerReport.Took(WorkerReport.Step.INPUT, 17), new WorkerReport.Took(WorkerReport.Step.OUTPUT, 9),
                new WorkerReport.Done());
        assertThat(reports).extracting(WorkerReport::line).containsExactly("loaded 412", "progress 3 10", "inference 0",
                "input 17", "output 9", "done");
        for (WorkerReport report : reports) {
            assertThat(WorkerReport.parse(report.line())).contains(report);
        }
    }

    @Test
    void anyOtherLineIsTheWorkersLog() {
        for (String line : List.of("", "loaded", "loaded soon", "progress 3", "progress 3 of 10", "done twice",
                "inference took 12", "Loading ONNX Runtime 1.19", WorkerReport.FAILED + "bad graph")) {
            assertThat(WorkerReport.parse(line)).as(line).isEmpty();
        }
    }

    private static List<String> written(WorkerRequest request) throws IOException {
        StringWriter out = new StringWriter();
        Properties p = request.properties();
        p.store(out, null);
        return out.toString().lines().toList();
    }
}
