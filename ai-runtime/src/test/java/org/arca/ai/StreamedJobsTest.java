package org.arca.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arca.core.Eventually;
import org.arca.core.Folder;
import org.arca.core.Item;
import org.arca.core.MetadataStore;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.AclEntry;
import org.arca.core.access.Caller;
import org.arca.core.access.Role;
import org.arca.dicom.Tag;
import org.arca.dicom.VR;
import org.arca.dicomweb.DicomWebPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jobs whose frames stream to the worker while the server still prepares them, and whose results come back frame
 * by frame while the worker runs on: series long enough that the frames fill the pipe to the worker many times
 * over. What a user sees must not depend on that: every frame's own boxes, overlays in series order, and for a
 * worker that stops part-way, or a frame that cannot be decoded, a failed job with a clear error and no result.
 */
class StreamedJobsTest {
    private static final int SLICES = 40;
    /** The slice (in position order) the stuck model hangs on: frames before and after it in either order. */
    private static final int STUCK = 30;

    static TestRepository test;
    static AiRuntime ai;
    static Caller owner;
    static Caller curator;
    static Folder project;
    static TestSeries plain;
    static TestSeries stuck;
    static TestSeries broken;

    @BeforeAll
    static void open() {
        List<TestDatabases.Kind> kinds = TestDatabases.kinds();
        test = AiTestRepositories.open(kinds.get(kinds.size() - 1));
        DicomWebPlugin.install(test.repo());
        ai = new AiRuntime(test.repo(), new AiSettings(test.dataDir().resolve("ai-work"), 512, 1, 600, 4096)).start();
        owner = test.user("owner");
        curator = test.user("curator", Role.CURATOR);
        project = test.repo().folders().createCollection(owner, "Streams", null);
        test.repo().access().setAcl(owner, project.id(), List.of(new AclEntry("user:owner", AccessLevel.ADMIN)));
        plain = upload("plain", new TestSeries("1.2.826.0.1.3680043.10.98", SLICES, "CT", 11));
        // 1000 HU and more all over: windowed to 1 everywhere, the frame the stuck model never finishes.
        stuck = upload("stuck", new TestSeries("1.2.826.0.1.3680043.10.97", SLICES, "CT", 12, (slice, ds) -> {
            if (slice == STUCK) {
                ds.setString(Tag.RescaleIntercept, VR.DS, "0");
            }
        }));
        broken = upload("broken", new TestSeries("1.2.826.0.1.3680043.10.96", SLICES, "CT", 13, (slice, ds) -> {
            if (slice == SLICES / 2) {
                ds.setBytes(Tag.PixelData, VR.OW, new byte[10]);
            }
        }));
        approve(boxes("boxes", 60), OnnxGraphs.boxFilter());
        approve(boxes("stuck-boxes", 600), OnnxGraphs.boxFilterStuckOnFullFrames());
        approve(boxes("stuck-boxes-timed", 5), OnnxGraphs.boxFilterStuckOnFullFrames());
    }

    @AfterAll
    static void close() {
        ai.close();
        test.close();
    }

    @Test
    void aLongSeriesStreamedFrameByFrameGivesEveryFrameItsOwnBoxesAndOverlaysInSeriesOrder() throws Exception {
        Folder out = test.repo().folders().create(owner, project.id(), "plain-results", null);
        Job job = JobWait.finished(ai, owner, ai.jobs().submit(owner, run("boxes", plain, out)).id());
        assertThat(job.status()).as(job.error() + "\n" + job.log()).isEqualTo(JobStatus.SUCCEEDED);

        var json = ManifestParser.JSON.readTree(test.repo().blobs().path(test.repo().items()
                .get(owner, job.results().get(0).itemId()).primaryFile().sha256()).toFile());
        assertThat(json.path("instances")).hasSize(SLICES);
        List<String> withBoxes = new ArrayList<>();
        for (int f = 0; f < SLICES; f++) {
            var instance = json.path("instances").get(f);
            assertThat(instance.path("sopInstanceUid").asText()).isEqualTo(plain.sopUids.get(f));
            List<String> boxes = new ArrayList<>();
            for (var b : instance.path("boxes")) {
                boxes.add(b.get(0).asInt() + "," + b.get(1).asInt() + "," + b.get(2).asInt() + "," + b.get(3).asInt());
            }
            List<String> expected = TestSeries.regions(TestSeries.expectedMask(plain.bright.get(f)));
            assertThat(boxes).as("frame %d", f).containsExactlyInAnyOrderElementsOf(expected);
            if (!expected.isEmpty()) {
                withBoxes.add("overlay-" + job.id() + "-" + plain.sopUids.get(f) + ".png");
            }
        }
        assertThat(job.results().stream().filter(r -> r.kind().equals("overlay")).map(Job.Result::name).toList())
                .containsExactlyElementsOf(withBoxes);
        assertThat(itemsIn(out)).hasSize(withBoxes.size() + 1);
        Item last = test.repo().items().find(owner, folderOf(plain), "slice" + (SLICES - 1) + ".dcm").orElseThrow();
        assertThat(test.repo().metadata().get(owner, MetadataStore.Target.ITEM, last.id()).get("ai.boxes.boxes").jsonValue())
                .isEqualTo((long) TestSeries.regions(TestSeries.expectedMask(plain.bright.get(SLICES - 1))).size());
    }

    @Test
    void aWorkerKilledPartWayThroughASeriesFailsTheJobClearlyAndStoresNothing() throws Exception {
        Folder out = test.repo().folders().create(owner, project.id(), "killed-results", null);
        String id = ai.jobs().submit(owner, run("stuck-boxes", stuck, out)).id();
        // Some frames done (their results taken and their overlays drawn), then the worker hangs on the bright one.
        Eventually.until("frames done before the stuck one", () -> ai.jobs().get(owner, id).progress() > 0);
        ProcessHandle worker = JobWait.worker(ai, owner, id).orElseThrow();
        // As a crash would: no word from the worker, just its end.
        worker.destroyForcibly();

        Job job = JobWait.finished(ai, owner, id);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error()).startsWith("The model could not run").contains("exit status");
        assertNothingStored(job, out, stuck);
        Job next = JobWait.finished(ai, owner, ai.jobs().submit(owner, run("boxes", plain, null)).id());
        assertThat(next.status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void aWorkerThatHangsPartWayIsStoppedAtItsTimeLimitAndStoresNothing() throws Exception {
        Folder out = test.repo().folders().create(owner, project.id(), "timed-results", null);
        Job job = JobWait.finished(ai, owner, ai.jobs().submit(owner, run("stuck-boxes-timed", stuck, out)).id());
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error()).contains("time limit");
        assertThat(job.progress()).as("frames done before the stuck one").isGreaterThan(0);
        assertNothingStored(job, out, stuck);
    }

    @Test
    void aFrameThatCannotBeDecodedPartWayFailsTheJobWithItsOwnErrorAndStoresNothing() throws Exception {
        Folder out = test.repo().folders().create(owner, project.id(), "broken-results", null);
        Job job = JobWait.finished(ai, owner, ai.jobs().submit(owner, run("boxes", broken, out)).id());
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error()).as(job.log()).startsWith("The job failed: ").doesNotContain("worker");
        assertNothingStored(job, out, broken);
    }

    private static void assertNothingStored(Job job, Folder out, TestSeries series) {
        assertThat(job.results()).isEmpty();
        assertThat(itemsIn(out)).isEmpty();
        for (int i = 0; i < SLICES; i++) {
            Item input = test.repo().items().find(owner, folderOf(series), "slice" + i + ".dcm").orElseThrow();
            assertThat(test.repo().metadata().get(owner, MetadataStore.Target.ITEM, input.id()))
                    .doesNotContainKeys("ai.stuck-boxes.boxes", "ai.stuck-boxes-timed.boxes", "ai.boxes.boxes");
        }
    }

    private static List<Item> itemsIn(Folder folder) {
        List<Item> items = new ArrayList<>();
        test.repo().items().forEachIn(List.of(folder.id()), items::add);
        return items;
    }

    private static final Map<TestSeries, String> FOLDERS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String folderOf(TestSeries series) {
        return FOLDERS.get(series);
    }

    private static TestSeries upload(String name, TestSeries series) {
        Folder folder = test.repo().folders().create(owner, project.id(), name, null);
        FOLDERS.put(series, folder.id());
        for (int i = 0; i < series.files.size(); i++) {
            byte[] file = series.files.get(i);
            test.repo().items().upload(owner, folder.id(), "slice" + i + ".dcm", "application/dicom",
                    new ByteArrayInputStream(file), file.length, false);
        }
        return series;
    }

    private static String boxes(String name, int wallSeconds) {
        return ModelZips.boxFilterManifest(name, "1.0", "CT", wallSeconds)
                .replace("\"kind\": \"labelmap\"", "\"kind\": \"boxes\", \"minArea\": 1");
    }

    private static void approve(String manifest, byte[] graph) {
        byte[] zip = ModelZips.zip(manifest, graph);
        ModelVersion v = ai.models().submit(owner, new ByteArrayInputStream(zip), zip.length);
        ai.models().approve(curator, v.name(), v.version());
    }

    private static JobRequest run(String model, TestSeries series, Folder out) {
        return new JobRequest(model, "1.0", series.studyUid, series.seriesUid, Map.of(), out == null ? null : out.id());
    }
}
