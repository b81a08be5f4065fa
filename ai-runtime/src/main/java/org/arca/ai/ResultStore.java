package org.arca.ai;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.arca.ai.worker.FrameResult;
import org.arca.ai.worker.OutputKind;
import org.arca.ai.worker.TensorFile;
import org.arca.core.ArcaException;
import org.arca.core.Item;
import org.arca.core.ItemStore;
import org.arca.core.MetadataStore;
import org.arca.core.MetadataValue;
import org.arca.core.ReadableBytes;
import org.arca.core.Repository;
import org.arca.core.access.Caller;
import org.arca.dicom.DicomWriter;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.image.FrameRenderer;

/**
 * Stores a job's results as items of the output folder, as the job's user, through the same item path every
 * surface uses (so the DICOM index picks up a SEG like any upload): label maps as one DICOM SEG (binary, or
 * fractional with each label's probability, as the manifest says), boxes
 * as a JSON item plus an overlay PNG per instance with boxes and a flag on each input instance's item. Results
 * come in a frame at a time while the worker runs ({@link Collector}); items are made only once all are in. Every
 * result item carries the provenance as metadata. If any step fails, what was stored is deleted again.
 */
final class ResultStore {
    /**
     * Overlays made items per transaction: large enough that a transaction's and an index update's fixed costs
     * vanish, small enough that a long series does not hold one transaction (and its row locks) for long.
     */
    private static final int OVERLAY_BATCH = 64;

    private final Repository repo;

    ResultStore(Repository repo) {
        this.repo = repo;
    }

    /**
     * Begins taking a job's results from the worker, one at a time in the order of {@code plan}'s tensors; see
     * {@link Collector}.
     */
    Collector collect(Caller caller, Job job, ModelVersion model, InputPreparer.Plan plan, Path dir) {
        return new Collector(caller, job, model, plan, dir);
    }

    /**
     * A job's results on their way in, from the job's thread. For boxes, each instance's overlay is drawn, encoded
     * and written to the blob store while the worker runs on ({@link BoxResults}); no item exists before
     * {@link #finish}, so a job that fails or is cancelled first leaves no result, only unreferenced bytes for gc.
     * Close it in any case: that stops what is still being drawn.
     */
    final class Collector implements AutoCloseable {
        private final Caller caller;
        private final Job job;
        private final ModelVersion model;
        private final InputPreparer.Plan plan;
        private final Path dir;
        private final List<FrameResult> outputs = new ArrayList<>();
        private final BoxResults boxes;
        private int received;

        private Collector(Caller caller, Job job, ModelVersion model, InputPreparer.Plan plan, Path dir) {
            this.caller = caller;
            this.job = job;
            this.model = model;
            this.plan = plan;
            this.dir = dir;
            boolean boxed = !model.manifest().input().volume() && model.manifest().output().kind() == OutputKind.BOXES;
            this.boxes = boxed ? new BoxResults(this::overlayItem) : null;
        }

        /** The next tensor's result. */
        void accept(FrameResult result) {
            if (boxes != null) {
                boxes.accept(plan.frame(received), result);
            } else {
                outputs.add(result);
            }
            received++;
        }

        /** How many results came in. */
        int received() {
            return received;
        }

        /**
         * Stores the results as items once all came in. Appends notes (a flag that could not be set) to {@code log}
         * and the milliseconds of the parts of storing ({@code storeOverlays}, {@code storeFlags},
         * {@code storeProvenance}) to {@code timings}. If any step fails, what was stored is deleted again.
         */
        List<Job.Result> finish(StringBuilder log, Map<String, Long> timings) throws IOException {
            List<SourceFrame> frames = plan.placed();
            List<Job.Result> stored = new ArrayList<>();
            try {
                Map<String, MetadataValue> provenance = provenance(caller, job, model, frames);
                if (model.manifest().input().volume()) {
                    stored.add(segmentation(caller, job, model, frames, onSlices(outputs.get(0), frames.size()), dir));
                } else if (model.manifest().output().kind() == OutputKind.LABELMAP) {
                    stored.add(segmentation(caller, job, model, frames, outputs, dir));
                } else if (model.manifest().output().kind() == OutputKind.SCORES) {
                    scores(caller, job, model, frames, outputs, provenance, stored);
                } else {
                    boxes(caller, job, model, boxes, provenance, stored, log, timings);
                }
                // One transaction for the provenance of every result, not one per item.
                long t = System.nanoTime();
                Map<String, Map<String, MetadataValue>> onResults = new LinkedHashMap<>();
                stored.forEach(r -> onResults.put(r.itemId(), provenance));
                repo.metadata().merge(caller, MetadataStore.Target.ITEM, onResults);
                timings.put("storeProvenance", (System.nanoTime() - t) / 1_000_000);
                return stored;
            } catch (IOException | RuntimeException e) {
                for (Job.Result r : stored) {
                    repo.items().delete(caller, r.itemId());
                }
                throw e;
            }
        }

        private ItemStore.NewItem overlayItem(SourceFrame frame, List<double[]> found) throws IOException {
            byte[] png = overlay(caller, dir.resolve("input.bin"), frame, found);
            var blob = repo.blobs().write(new ByteArrayInputStream(png), png.length, repo.items().maxUploadBytes());
            return new ItemStore.NewItem("overlay-" + job.id() + "-" + frame.sopInstanceUid() + ".png", "image/png", blob);
        }

        @Override
        public void close() {
            if (boxes != null) {
                boxes.close();
            }
        }
    }

    private Job.Result segmentation(Caller caller, Job job, ModelVersion model, List<SourceFrame> frames,
                                    List<FrameResult> outputs, Path dir) throws IOException {
        ModelManifest.OutputSpec spec = model.manifest().output();
        var origin = new SegmentationWriter.Origin(model.name(), model.version(), spec.labels());
        List<byte[]> pixels = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            pixels.add(spec.fractional() ? fractionsOnSource(outputs.get(i), frames.get(i), spec.labels().size())
                    : toSource(outputs.get(i).labels(), outputs.get(i).height(), outputs.get(i).width(), frames.get(i)));
        }
        var seg = spec.fractional() ? SegmentationWriter.buildFractional(origin, spec.fractionalType(), frames, pixels)
                : SegmentationWriter.build(origin, frames, pixels);
        Path file = dir.resolve("result-seg.dcm");
        DicomWriter.write(file, seg, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        String name = "seg-" + job.id() + ".dcm";
        Item item = repo.items().adopt(caller, job.outputFolderId(), name, "application/dicom", file, false);
        return new Job.Result(item.id(), "segmentation", name);
    }

    /**
     * A frame's probability planes on the source grid, one per label, label-major. A model whose planes do not
     * match its labels fails the job rather than store segments that mean something else.
     */
    private static byte[] fractionsOnSource(FrameResult r, SourceFrame f, int labels) {
        if (r.planes() != labels) {
            throw ArcaException.invalid("labels_mismatch", "The model gave " + r.planes() + " probability map(s) per "
                    + "frame; its manifest names " + labels + " label(s) (one channel for one label, else a background "
                    + "channel and one per label).");
        }
        int plane = f.rows() * f.columns();
        byte[] out = new byte[labels * plane];
        for (int s = 1; s <= labels; s++) {
            System.arraycopy(toSource(r.plane(s), r.height(), r.width(), f), 0, out, (s - 1) * plane, plane);
        }
        return out;
    }

    /** Class scores: a JSON document with the provenance and a CSV table of the same numbers. */
    private void scores(Caller caller, Job job, ModelVersion model, List<SourceFrame> frames, List<FrameResult> outputs,
                        Map<String, MetadataValue> provenance, List<Job.Result> stored) throws IOException {
        ModelManifest.OutputSpec spec = model.manifest().output();
        ClassScores scores = new ClassScores(spec.labels());
        for (int i = 0; i < frames.size(); i++) {
            scores.add(frames.get(i), outputs.get(i).scores(), spec.activation());
        }
        Map<String, Object> document = new LinkedHashMap<>();
        provenance.forEach((k, v) -> document.put(k.substring(3), v.jsonValue()));
        document.put("labels", spec.labels());
        document.put("activation", spec.activation());
        document.put("instances", scores.instances());
        byte[] json = ManifestParser.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        String name = "scores-" + job.id() + ".json";
        Item item = repo.items().upload(caller, job.outputFolderId(), name, "application/json",
                new ByteArrayInputStream(json), json.length, false);
        stored.add(new Job.Result(item.id(), "scores", name));
        byte[] csv = scores.csv();
        String table = "scores-" + job.id() + ".csv";
        Item csvItem = repo.items().upload(caller, job.outputFolderId(), table, "text/csv",
                new ByteArrayInputStream(csv), csv.length, false);
        stored.add(new Job.Result(csvItem.id(), "table", table));
    }

    /**
     * The overlays (drawn and PNG-encoded on every processor while the worker ran, made items here in series
     * order), the flags on the input items, then the JSON document, listed first. The document comes last because
     * storing it starts its text extraction (a worker JVM of its own), which would otherwise compete with the
     * overlays for the processors. Each stored item is added to {@code stored} as soon as it exists, so a failure
     * later deletes it again.
     */
    private void boxes(Caller caller, Job job, ModelVersion model, BoxResults results, Map<String, MetadataValue> provenance,
                       List<Job.Result> stored, StringBuilder log, Map<String, Long> timings) throws IOException {
        long t = System.nanoTime();
        // The items are made a batch at a time in one transaction each (with the checks, audit entries and listeners
        // of a single upload), in series order. A batch is all or nothing, so what is in stored is exactly what
        // exists; bytes of a batch that failed are left to gc, as after any failed upload.
        long[] itemsNanos = {0};
        List<ItemStore.NewItem> pending = new ArrayList<>();
        results.overlays(next -> {
            pending.add(next);
            if (pending.size() == OVERLAY_BATCH) {
                itemsNanos[0] += createOverlays(caller, job, pending, stored);
            }
        });
        itemsNanos[0] += createOverlays(caller, job, pending, stored);
        timings.put("storeOverlayItems", itemsNanos[0] / 1_000_000);
        timings.put("storeOverlays", (System.nanoTime() - t) / 1_000_000);
        t = System.nanoTime();
        flags(caller, results.counts(), model, log);
        timings.put("storeFlags", (System.nanoTime() - t) / 1_000_000);
        Map<String, Object> document = new LinkedHashMap<>();
        provenance.forEach((k, v) -> document.put(k.substring(3), v.jsonValue()));
        document.put("instances", results.instances());
        byte[] json = ManifestParser.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        String name = "boxes-" + job.id() + ".json";
        Item item = repo.items().upload(caller, job.outputFolderId(), name, "application/json",
                new ByteArrayInputStream(json), json.length, false);
        stored.add(0, new Job.Result(item.id(), "boxes", name));
    }

    /** Makes the pending overlays items in one transaction, adds them to {@code stored}; returns the nanoseconds taken. */
    private long createOverlays(Caller caller, Job job, List<ItemStore.NewItem> pending, List<Job.Result> stored) {
        long t = System.nanoTime();
        if (!pending.isEmpty()) {
            for (Item item : repo.items().createAll(caller, job.outputFolderId(), pending)) {
                stored.add(new Job.Result(item.id(), "overlay", item.name()));
            }
            pending.clear();
        }
        return System.nanoTime() - t;
    }

    /**
     * The frame with its boxes in red, as PNG: drawn from the 8-bit frame the model saw, read back from the job's
     * tensor file; only frames that went to the model as float values are rendered from their DICOM again.
     */
    private byte[] overlay(Caller caller, Path tensors, SourceFrame frame, List<double[]> boxes) throws IOException {
        Optional<TensorFile.Rgb8> seen = frame.tensorOffset() >= 0 ? TensorFile.readRgb8(tensors, frame.tensorOffset())
                : Optional.empty();
        BufferedImage img;
        if (seen.isPresent()) {
            TensorFile.Rgb8 r = seen.get();
            img = new BufferedImage(r.columns(), r.rows(), BufferedImage.TYPE_INT_RGB);
            int[] rgb = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
            byte[] p = r.pixels();
            int samples = r.samples();
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = (p[i * samples] & 0xFF) << 16 | (p[i * samples + (samples - 1) / 2] & 0xFF) << 8
                        | p[i * samples + samples - 1] & 0xFF;
            }
        } else {
            ReadableBytes source = repo.bytes().read(caller, List.of(frame.sha256()), JobService.JOB_READS);
            BufferedImage rendered = FrameRenderer.render(source.path(frame.sha256()), frame.frameNumber() - 1,
                    Optional.empty());
            img = new BufferedImage(rendered.getWidth(), rendered.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.drawImage(rendered, 0, 0, null);
            g.dispose();
        }
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.setStroke(new BasicStroke(Math.max(1, img.getWidth() / 256f)));
        for (double[] b : boxes) {
            g.drawRect((int) b[0], (int) b[1], (int) (b[2] - b[0]), (int) (b[3] - b[1]));
        }
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        FrameRenderer.writePng(img, png);
        return png.toByteArray();
    }

    /**
     * Marks each input instance's item with the number of boxes found, all in one transaction. When the user may
     * only read some input folder, that transaction is refused as a whole; then each item is tried on its own and
     * the log names those skipped, since results must never need more than the user holds.
     */
    private void flags(Caller caller, Map<String, Integer> counts, ModelVersion model, StringBuilder log) {
        Map<String, Map<String, MetadataValue>> all = new LinkedHashMap<>();
        counts.forEach((itemId, boxes) -> all.put(itemId, Map.of(
                "ai." + model.name() + ".boxes", new MetadataValue.Number(boxes),
                "ai." + model.name() + ".version", new MetadataValue.Text(model.version()))));
        try {
            repo.metadata().merge(caller, MetadataStore.Target.ITEM, all);
            return;
        } catch (ArcaException e) {
            // Some item is not writable: flag those that are.
        }
        all.forEach((itemId, values) -> {
            try {
                repo.metadata().merge(caller, MetadataStore.Target.ITEM, Map.of(itemId, values));
            } catch (ArcaException e) {
                log.append("flag not set on item ").append(itemId).append(": ").append(e.getMessage()).append('\n');
            }
        });
    }

    /**
     * A volume's result as one result per source slice: the result slice nearest to each (voxel centres aligned,
     * as the input was resampled), so a SEG frame can reference every slice; {@link #toSource} then maps each
     * onto its slice's pixel grid.
     */
    static List<FrameResult> onSlices(FrameResult volume, int slices) {
        if (volume.depth() == 0) {
            throw ArcaException.invalid("worker_failed", "The model returned no label map for the volume.");
        }
        List<FrameResult> out = new ArrayList<>(slices);
        for (int z = 0; z < slices; z++) {
            out.add(volume.slice(Math.min(volume.depth() - 1, (int) ((z + 0.5) * volume.depth() / slices))));
        }
        return out;
    }

    /**
     * Nearest-neighbour mapping of a result map (a label map or a probability plane, {@code height} × {@code width})
     * onto the source frame's pixel grid: labels must stay labels, and a probability keeps the value the model gave.
     */
    static byte[] toSource(byte[] map, int height, int width, SourceFrame f) {
        if (height == f.rows() && width == f.columns()) {
            return map;
        }
        byte[] out = new byte[f.rows() * f.columns()];
        for (int y = 0; y < f.rows(); y++) {
            int ry = Math.min(height - 1, (int) ((y + 0.5) * height / f.rows()));
            for (int x = 0; x < f.columns(); x++) {
                int rx = Math.min(width - 1, (int) ((x + 0.5) * width / f.columns()));
                out[y * f.columns() + x] = map[ry * width + rx];
            }
        }
        return out;
    }

    private static Map<String, MetadataValue> provenance(Caller caller, Job job, ModelVersion model, List<SourceFrame> frames) {
        Map<String, MetadataValue> p = new LinkedHashMap<>();
        p.put("ai.model", new MetadataValue.Text(model.name()));
        p.put("ai.version", new MetadataValue.Text(model.version()));
        p.put("ai.sha256", new MetadataValue.Text(model.approvedSha256()));
        p.put("ai.job", new MetadataValue.Text(job.id()));
        p.put("ai.studyInstanceUid", new MetadataValue.Text(job.studyUid()));
        p.put("ai.seriesInstanceUid", new MetadataValue.Text(job.seriesUid()));
        LinkedHashSet<String> sops = new LinkedHashSet<>();
        frames.forEach(f -> sops.add(f.sopInstanceUid()));
        String inputs = String.join(",", sops);
        p.put("ai.sopInstanceUids", new MetadataValue.Text(inputs.length() > 4000 ? inputs.substring(0, 3990) + ",…" : inputs));
        p.put("ai.parameters", new MetadataValue.Text(JobStore.json(job.parameters())));
        p.put("ai.user", new MetadataValue.Text(caller.login()));
        p.put("ai.time", new MetadataValue.Text(Instant.now().toString()));
        return p;
    }
}
