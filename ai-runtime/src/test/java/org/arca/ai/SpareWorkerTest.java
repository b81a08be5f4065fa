package org.arca.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arca.core.Eventually;
import org.arca.core.Sandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spare worker, with real worker processes: when one is started, who takes it, and that none outlives the server. */
class SpareWorkerTest {
    private static final WorkerLauncher.Limits SMALL = new WorkerLauncher.Limits(128, 1, Duration.ofSeconds(30), 1024);

    @TempDir
    Path data;
    Path work;
    WorkerLauncher launcher;
    final List<RunningWorker> taken = new ArrayList<>();

    @BeforeEach
    void launcher() throws Exception {
        work = Files.createDirectories(data.resolve("ai-work"));
        launcher = new WorkerLauncher(Sandbox.hiding(List.of(data)), new OrtNativeLibraries(work.resolve("onnxruntime-native")),
                work.resolve("worker-classes"));
    }

    @AfterEach
    void killTaken() {
        taken.forEach(RunningWorker::kill);
    }

    private RunningWorker take(SpareWorker spares, WorkerLauncher.Limits limits) throws Exception {
        RunningWorker w = spares.take(limits, p -> { }, (done, total) -> { });
        taken.add(w);
        return w;
    }

    @Test
    void noSpareBeforeAFirstJobThenOneWithItsLimitsThatTheNextLikeJobTakes() throws Exception {
        try (SpareWorker spares = new SpareWorker(launcher, work, true)) {
            spares.replenish();
            assertThat(spares.waiting()).as("a server that ran no job holds no spare").isEmpty();

            RunningWorker first = take(spares, SMALL);
            assertThat(first.spareAgeMillis()).isEqualTo(-1);
            first.kill();
            spares.replenish();
            Process spare = spares.waiting().orElseThrow();
            assertThat(folderOf(spare).getParent()).isEqualTo(work);
            spares.replenish();
            assertThat(spares.waiting()).as("one spare, not one per idle moment").contains(spare);

            // Another wall time does not matter (it starts with the job); the same heap, threads and memory do.
            RunningWorker second = take(spares, new WorkerLauncher.Limits(128, 1, Duration.ofSeconds(5), 1024));
            assertThat(second.spareAgeMillis()).isGreaterThanOrEqualTo(0);
            assertThat(spares.waiting()).isEmpty();
            assertThat(spare.isAlive()).as("the spare is the job's worker now").isTrue();
            assertThat(second.dir()).isNotEqualTo(first.dir());
        }
    }

    @Test
    void aJobWithOtherLimitsGetsAWorkerOfItsOwnAndTheSpareIsStopped() throws Exception {
        try (SpareWorker spares = new SpareWorker(launcher, work, true)) {
            take(spares, SMALL).kill();
            spares.replenish();
            Process spare = spares.waiting().orElseThrow();
            Path spareFolder = folderOf(spare);

            RunningWorker other = take(spares, new WorkerLauncher.Limits(192, 1, Duration.ofSeconds(30), 1024));
            assertThat(other.spareAgeMillis()).isEqualTo(-1);
            assertThat(spare.isAlive()).isFalse();
            assertThat(spareFolder).doesNotExist();
            assertThat(other.dir()).isNotEqualTo(spareFolder);
        }
    }

    @Test
    void closingStopsTheSpareAndRemovesItsFolderAndNoneIsStartedAfter() throws Exception {
        SpareWorker spares = new SpareWorker(launcher, work, true);
        take(spares, SMALL).kill();
        spares.replenish();
        Process spare = spares.waiting().orElseThrow();
        Path folder = folderOf(spare);
        spares.close();
        assertThat(spare.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(spare.descendants().filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(folder).doesNotExist();
        spares.replenish();
        assertThat(spares.waiting()).isEmpty();
    }

    @Test
    void aSpareThatKeepsDyingIsNoLongerStarted() throws Exception {
        try (SpareWorker spares = new SpareWorker(launcher, work, true)) {
            take(spares, SMALL).kill();
            for (int i = 0; i < SpareWorker.DEATHS_TOLERATED; i++) {
                spares.replenish();
                Process spare = spares.waiting().orElseThrow();
                spare.destroyForcibly();
                spare.onExit().get(30, TimeUnit.SECONDS);
            }
            spares.replenish();
            assertThat(spares.waiting()).isEmpty();
            try (var left = Files.list(work)) {
                assertThat(left.filter(p -> p.getFileName().toString().startsWith("worker-")).toList())
                        .as("the dead spares' folders are gone, the first job's is its own to remove")
                        .hasSize(1);
            }
        }
    }

    @Test
    void withoutSparesEveryJobStartsItsOwnWorker() throws Exception {
        try (SpareWorker spares = new SpareWorker(launcher, work, false)) {
            take(spares, SMALL).kill();
            spares.replenish();
            assertThat(spares.waiting()).isEmpty();
            assertThat(take(spares, SMALL).spareAgeMillis()).isEqualTo(-1);
        }
    }

    /** The folder a worker was started on (the last argument of the JVM under the sandbox's processes). */
    private static Path folderOf(Process spare) {
        return JobWait.folderOf(Eventually.until("the spare's JVM", () -> AiRuntime.jvm(spare).orElse(null)));
    }
}
