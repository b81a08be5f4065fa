package org.arca.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import org.arca.core.Folder;
import org.arca.core.Item;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.Caller;
import org.arca.core.access.Role;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomReader;
import org.arca.dicom.Tag;
import org.arca.dicom.VR;
import org.arca.dicomweb.DicomWebPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Volume input end to end: a series written by the codec becomes one resampled tensor, a real worker runs a 3D
 * graph on it, and the label volume comes back as a SEG over the source slices; series that are no volume are
 * refused with a sentence. Expected voxels are computed here, trilinear weights written out per voxel rather than
 * by the axis-by-axis passes the server uses.
 */
class VolumeJobsTest {
    static TestRepository test;
    static AiRuntime ai;
    static Caller owner;
    static Caller curator;
    static Folder project;
    static TestSeries series;

    @BeforeAll
    static void open() {
        List<TestDatabases.Kind> kinds = TestDatabases.kinds();
        test = AiTestRepositories.open(kinds.get(kinds.size() - 1));
        DicomWebPlugin.install(test.repo());
        ai = new AiRuntime(test.repo(), new AiSettings(test.dataDir().resolve("ai-work"), 256, 1, 60, 2048)).start();
        owner = test.user("owner");
        curator = test.user("curator", Role.CURATOR);
        project = test.repo().folders().createCollection(owner, "Volumes", null);
        series = upload("1.2.826.0.1.3680043.10.98.1", 6, (slice, ds) -> { });
    }

    @AfterAll
    static void close() {
        ai.close();
        test.close();
    }

    static TestSeries upload(String root, int slices, java.util.function.BiConsumer<Integer, Attributes> tweak) {
        TestSeries s = new TestSeries(root, slices, "CT", 11, tweak);
        Folder folder = test.repo().folders().create(owner, project.id(), root, null);
        for (int i = 0; i < s.files.size(); i++) {
            byte[] file = s.files.get(i);
            test.repo().items().upload(owner, folder.id(), "slice" + i + ".dcm", "application/dicom",
                    new ByteArrayInputStream(file), file.length, false);
        }
        return s;
    }

    /** A 3D model over the series windowed to [0, 1] (bright voxels 1, dark 0), resampled as {@code input} says. */
    static void approve(String name, String input) {
        approve(name, input, "\"kind\": \"labelmap\", \"threshold\": 0.5, \"labels\": [\"bright\"]");
    }

    static void approve(String name, String input, String output) {
        String manifest = """
                {"name": "%s", "version": "1.0", "licence": "MIT", "graph": "model.onnx",
                 "input": {"modalities": ["CT"], "dimensions": 3, "pixels": "modality",
                           "window": {"center": 500, "width": 1000}, %s},
                 "output": {%s},
                 "resources": {"heapMb": 256, "threads": 1, "wallSeconds": 60}}
                """.formatted(name, input, output);
        byte[] zip = ModelZips.zip(manifest, OnnxGraphs.volumeIdentity());
        ModelVersion v = ai.models().submit(owner, new ByteArrayInputStream(zip), zip.length);
        ai.models().approve(curator, v.name(), v.version());
    }

    static Job run(String model, TestSeries on) throws InterruptedException {
        String id = ai.jobs().submit(owner, new JobRequest(model, "1.0", on.studyUid, on.seriesUid, Map.of(), null)).id();
        return JobWait.finished(ai, owner, id);
    }

    @Test
    void aVolumeResampledToASpacingComesBackOnEverySourceSlice() throws Exception {
        // 0.5 mm pixels and 2.5 mm slices to 1 x 1 x 1.25 mm: 16 x 12 x 12 voxels, fewer in-plane, more across.
        approve("volume-spacing", "\"spacing\": [1.0, 1.0, 1.25]");
        assertSegMatches(run("volume-spacing", series), 12, 12, 16);
    }

    @Test
    void aVolumeResizedToAFixedSizeComesBackOnEverySourceSlice() throws Exception {
        approve("volume-size", "\"resize\": {\"width\": 20, \"height\": 10, \"depth\": 4}");
        assertSegMatches(run("volume-size", series), 4, 10, 20);
    }

    @Test
    void aFractionalVolumeKeepsEachResampledVoxelsProbabilityOnEverySourceSlice() throws Exception {
        approve("volume-fraction", "\"spacing\": [1.0, 1.0, 1.25]",
                "\"kind\": \"labelmap\", \"segmentationType\": \"FRACTIONAL\", \"labels\": [\"bright\"]");
        Job job = run("volume-fraction", series);
        assertThat(job.status()).as(job.error() + "\n" + job.log()).isEqualTo(JobStatus.SUCCEEDED);
        Item seg = test.repo().items().get(owner, job.results().get(0).itemId());
        var file = DicomReader.read(test.repo().blobs().path(seg.primaryFile().sha256()));
        assertThat(file.dataset().getString(0x00620001, "")).isEqualTo("FRACTIONAL");
        var frames = org.arca.dicom.image.Frames.of(file);
        assertThat(frames.count()).isEqualTo(series.bright.size());
        int exact = 0;
        for (int z = 0; z < series.bright.size(); z++) {
            int[] samples = frames.decode(z).samples();
            int vz = Math.min(11, (int) ((z + 0.5) * 12 / series.bright.size()));
            for (int y = 0; y < TestSeries.ROWS; y++) {
                int vy = Math.min(11, (int) ((y + 0.5) * 12 / TestSeries.ROWS));
                for (int x = 0; x < TestSeries.COLUMNS; x++) {
                    int vx = Math.min(15, (int) ((x + 0.5) * 16 / TestSeries.COLUMNS));
                    double want = trilinear(vz, vy, vx, 12, 12, 16) * 255;
                    int got = samples[y * TestSeries.COLUMNS + x];
                    // Float in the server against double here: a value on a .5 may round either way.
                    assertThat((double) got).as("slice %d pixel (%d, %d)", z, x, y).isCloseTo(want,
                            org.assertj.core.data.Offset.offset(0.5 + 1e-4));
                    exact += got == Math.round(want) ? 1 : 0;
                }
            }
        }
        assertThat(exact).isGreaterThan(series.bright.size() * TestSeries.ROWS * TestSeries.COLUMNS * 9 / 10);
    }

    @Test
    void seriesThatAreNoVolumeAreRefusedWithAReadableError() throws Exception {
        approve("volume-native", "\"layout\": \"NCDHW\"");
        Map<TestSeries, String> cases = new java.util.LinkedHashMap<>();
        cases.put(upload("1.2.826.0.1.3680043.10.98.2", 1, (s, ds) -> { }),
                "A volume needs at least 2 slices; the series has 1.");
        cases.put(upload("1.2.826.0.1.3680043.10.98.3", 4, (s, ds) -> {
            if (s == 2) {
                ds.setString(SeriesOrder.IMAGE_ORIENTATION_PATIENT, VR.DS, "1", "0", "0", "0", "0", "-1");
            }
        }), "The series mixes slice orientations; a volume needs one.");
        cases.put(upload("1.2.826.0.1.3680043.10.98.4", 4, (s, ds) -> {
            if (s == 1) {
                ds.setInt(Tag.Rows, VR.US, TestSeries.ROWS / 2);
                ds.setBytes(Tag.PixelData, VR.OW, java.util.Arrays.copyOf(ds.bytes(Tag.PixelData).orElseThrow(),
                        TestSeries.ROWS / 2 * TestSeries.COLUMNS * 2));
            }
        }), "The series mixes slice sizes (32×24 and 32×12); a volume needs one.");
        cases.put(upload("1.2.826.0.1.3680043.10.98.5", 4, (s, ds) -> {
            if (s == 3) {
                ds.setString(SeriesOrder.IMAGE_POSITION_PATIENT, VR.DS, "0", "0", "8.5");
            }
        }), "The slices are not evenly spaced (2.50 to 3.50 mm apart); a volume needs one spacing, within 1%.");
        for (var c : cases.entrySet()) {
            Job job = run("volume-native", c.getKey());
            assertThat(job.status()).as(c.getValue()).isEqualTo(JobStatus.FAILED);
            assertThat(job.error()).isEqualTo(c.getValue());
            assertThat(job.results()).isEmpty();
        }
        // The same model runs on a series that is one.
        Job fine = run("volume-native", series);
        assertThat(fine.status()).as(fine.error() + "\n" + fine.log()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void aVolumeTooLargeForTheWorkerIsRefusedBeforeAnyPixelIsDecoded() throws Exception {
        // 0.01 mm everywhere: 1600 x 1200 x 1500 voxels, some 50 GB in a worker that may use 256 MB.
        approve("volume-huge", "\"spacing\": [0.01, 0.01, 0.01]");
        Job job = run("volume-huge", series);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error()).startsWith("The volume would be 1600×1200×1500 voxels (about ")
                .endsWith("a run of this model may use 256 MB. Resample it to a coarser spacing or a smaller size.");
        assertThat(job.results()).isEmpty();
    }

    /**
     * The stored SEG has one frame per source slice, in position order, each referencing its slice, and each
     * pixel is the label of the resampled voxel nearest to it: a trilinear value of the bright mask above 0.5.
     * Voxels within 1e-4 of the threshold may go either way (float and double round differently there).
     */
    private static void assertSegMatches(Job job, int d, int h, int w) throws Exception {
        assertThat(job.status()).as(job.error() + "\n" + job.log()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.results()).extracting(Job.Result::kind).containsExactly("segmentation");
        Item seg = test.repo().items().get(owner, job.results().get(0).itemId());
        Attributes ds = DicomReader.read(test.repo().blobs().path(seg.primaryFile().sha256())).dataset();
        int depth = series.bright.size();
        int rows = TestSeries.ROWS;
        int cols = TestSeries.COLUMNS;
        assertThat(ds.getString(0x00620001, "")).isEqualTo("BINARY");
        assertThat(ds.getInt(Tag.NumberOfFrames, 0)).isEqualTo(depth);
        assertThat(ds.getInt(Tag.Rows, 0)).isEqualTo(rows);
        assertThat(ds.getInt(Tag.Columns, 0)).isEqualTo(cols);
        byte[] bits = ds.bytes(Tag.PixelData).orElseThrow();
        List<Attributes> perFrame = ds.sequence(0x52009230);
        int plane = rows * cols;
        int labelled = 0;
        int undecided = 0;
        for (int z = 0; z < depth; z++) {
            String source = perFrame.get(z).sequence(0x00089124).get(0).sequence(0x00082112).get(0).getString(0x00081155, "");
            assertThat(source).isEqualTo(series.sopUids.get(z));
            int vz = Math.min(d - 1, (int) ((z + 0.5) * d / depth));
            for (int y = 0; y < rows; y++) {
                int vy = Math.min(h - 1, (int) ((y + 0.5) * h / rows));
                for (int x = 0; x < cols; x++) {
                    int vx = Math.min(w - 1, (int) ((x + 0.5) * w / cols));
                    double value = trilinear(vz, vy, vx, d, h, w);
                    long bit = (long) z * plane + y * cols + x;
                    int got = (bits[(int) (bit >>> 3)] >> (bit & 7)) & 1;
                    if (Math.abs(value - 0.5) < 1e-4) {
                        undecided++;
                        continue;
                    }
                    assertThat(got).as("slice %d pixel (%d, %d), voxel value %s", z, x, y, value).isEqualTo(value > 0.5 ? 1 : 0);
                    labelled += got;
                }
            }
        }
        assertThat(labelled).isGreaterThan(0).isLessThan(depth * plane / 2);
        assertThat(undecided).isLessThan(depth * plane / 10);
    }

    /** The bright mask at voxel (z, y, x) of a d × h × w grid over the series, voxel centres aligned. */
    private static double trilinear(int z, int y, int x, int d, int h, int w) {
        double cz = centre(z, d, series.bright.size());
        double cy = centre(y, h, TestSeries.ROWS);
        double cx = centre(x, w, TestSeries.COLUMNS);
        int z0 = (int) Math.floor(cz);
        int y0 = (int) Math.floor(cy);
        int x0 = (int) Math.floor(cx);
        double sum = 0;
        for (int dz = 0; dz <= 1; dz++) {
            for (int dy = 0; dy <= 1; dy++) {
                for (int dx = 0; dx <= 1; dx++) {
                    double weight = (dz == 0 ? 1 - (cz - z0) : cz - z0) * (dy == 0 ? 1 - (cy - y0) : cy - y0)
                            * (dx == 0 ? 1 - (cx - x0) : cx - x0);
                    if (weight == 0) {
                        continue;
                    }
                    int zz = Math.min(series.bright.size() - 1, z0 + dz);
                    int yy = Math.min(TestSeries.ROWS - 1, y0 + dy);
                    int xx = Math.min(TestSeries.COLUMNS - 1, x0 + dx);
                    sum += weight * series.bright.get(zz)[yy * TestSeries.COLUMNS + xx];
                }
            }
        }
        return sum;
    }

    /** Where voxel {@code i} of {@code target} lies in source coordinates, clamped to the source. */
    private static double centre(int i, int target, int source) {
        return Math.max(0, Math.min(source - 1, (i + 0.5) * source / target - 0.5));
    }
}
