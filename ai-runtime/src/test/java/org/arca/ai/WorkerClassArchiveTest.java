package org.arca.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workers' class archive: made once a run, handed to each worker as its own copy, never shared with a worker. */
class WorkerClassArchiveTest {
    @TempDir
    Path work;

    /** The warm-up graph is a built file in the jar; this says what built it and fails if the two drift apart. */
    @Test
    void theWarmUpGraphIsTheBoxFilterThatOnnxGraphsEncodes() throws Exception {
        try (var graph = WorkerLauncher.class.getResourceAsStream("warm-up.onnx")) {
            assertThat(graph).isNotNull();
            assertThat(graph.readAllBytes()).isEqualTo(OnnxGraphs.boxFilter());
        }
    }

    @Test
    void workersGetNoArchiveUntilOneWasMadeThenEachItsOwnCopy() throws Exception {
        Path kept = work.resolve("worker-classes");
        WorkerClassArchive archive = new WorkerClassArchive(kept, WorkerLauncher.classPath());
        Path job = Files.createDirectories(work.resolve("job-1"));
        assertThat(archive.copyInto(job)).isEmpty();

        assertThat(archive.claim()).isTrue();
        assertThat(archive.claim()).as("one attempt a run").isFalse();
        Path warmUp = Files.createDirectories(work.resolve("warm-up"));
        assertThat(archive.makingIn(warmUp)).anyMatch(o -> o.equals("-XX:ArchiveClassesAtExit=" + warmUp.resolve("classes.jsa")));
        Files.write(warmUp.resolve("classes.jsa"), new byte[] {1, 2, 3});
        archive.adopt(warmUp);

        assertThat(archive.copyInto(job)).contains("-XX:SharedArchiveFile=" + job.resolve("classes.jsa"));
        // A worker may change its copy; the next worker still gets the archive as it was made.
        Files.write(job.resolve("classes.jsa"), new byte[] {9});
        Path next = Files.createDirectories(work.resolve("job-2"));
        archive.copyInto(next);
        assertThat(Files.readAllBytes(next.resolve("classes.jsa"))).containsExactly(1, 2, 3);
    }

    @Test
    void anotherClassPathMeetsAnotherArchive() throws Exception {
        Path kept = work.resolve("worker-classes");
        Path warmUp = Files.createDirectories(work.resolve("warm-up"));
        Files.write(warmUp.resolve("classes.jsa"), new byte[] {1});
        new WorkerClassArchive(kept, WorkerLauncher.classPath()).adopt(warmUp);
        Path job = Files.createDirectories(work.resolve("job"));
        assertThat(new WorkerClassArchive(kept, WorkerLauncher.classPath() + java.io.File.pathSeparator + "/other.jar")
                .copyInto(job)).isEmpty();
    }
}
