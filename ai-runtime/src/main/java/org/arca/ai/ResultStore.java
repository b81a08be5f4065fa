package org.arca.ai;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.arca.ai.worker.FrameResult;
import org.arca.core.ArcaException;
import org.arca.core.Caller;
import org.arca.core.Item;
import org.arca.core.MetadataStore;
import org.arca.core.MetadataValue;
import org.arca.core.Repository;
import org.arca.dicom.DicomWriter;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.image.FrameRenderer;

/**
 * Stores a job's results as items of the output folder, as the job's user, through the same item path every
 * surface uses (so the DICOM index picks up a SEG like any upload): label maps as one binary DICOM SEG, boxes
 * as a JSON item plus an overlay PNG per instance with boxes and a flag on each input instance's item. Every
 * result item carries the provenance as metadata. If any step fails, what was stored is deleted again.
 */
final class ResultStore {
    private final Repository repo;

    ResultStore(Repository repo) {
        this.repo = repo;
    }

    /** Appends notes (a flag that could not be set) to {@code log}. */
    List<Job.Result> store(Caller caller, Job job, ModelVersion model, List<SourceFrame> frames, List<FrameResult> outputs,
                           Path dir, StringBuilder log) throws IOException {
        List<Job.Result> stored = new ArrayList<>();
        try {
            Map<String, MetadataValue> provenance = provenance(caller, job, model, frames);
            if (model.manifest().output().kind().equals("labelmap")) {
                stored.add(segmentation(caller, job, model, frames, outputs, dir, provenance));
            } else {
                stored.addAll(boxes(caller, job, model, frames, outputs, provenance, log));
            }
            return stored;
        } catch (IOException | RuntimeException e) {
            for (Job.Result r : stored) {
                repo.items().delete(caller, r.itemId());
            }
            throw e;
        }
    }

    private Job.Result segmentation(Caller caller, Job job, ModelVersion model, List<SourceFrame> frames,
                                    List<FrameResult> outputs, Path dir, Map<String, MetadataValue> provenance) throws IOException {
        List<byte[]> masks = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            masks.add(toSource(outputs.get(i), frames.get(i)));
        }
        var seg = SegmentationWriter.build(new SegmentationWriter.Origin(model.name(), model.version(),
                model.manifest().output().labels()), frames, masks);
        Path file = dir.resolve("result-seg.dcm");
        DicomWriter.write(file, seg, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        String name = "seg-" + job.id() + ".dcm";
        Item item = repo.items().adopt(caller, job.outputFolderId(), name, "application/dicom", file, false);
        repo.metadata().put(caller, MetadataStore.Target.ITEM, item.id(), provenance);
        return new Job.Result(item.id(), "segmentation", name);
    }

    private List<Job.Result> boxes(Caller caller, Job job, ModelVersion model, List<SourceFrame> frames,
                                   List<FrameResult> outputs, Map<String, MetadataValue> provenance, StringBuilder log)
            throws IOException {
        List<Job.Result> stored = new ArrayList<>();
        Map<String, List<double[]>> byInstance = new LinkedHashMap<>();
        Map<String, SourceFrame> firstFrame = new LinkedHashMap<>();
        List<Map<String, Object>> instances = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            SourceFrame f = frames.get(i);
            FrameResult r = outputs.get(i);
            double sx = (double) f.columns() / r.width();
            double sy = (double) f.rows() / r.height();
            List<double[]> boxes = new ArrayList<>();
            for (FrameResult.Box b : r.boxes()) {
                boxes.add(new double[] {Math.floor(b.x0() * sx), Math.floor(b.y0() * sy), Math.ceil(b.x1() * sx),
                        Math.ceil(b.y1() * sy), Math.round(b.score() * 1000) / 1000.0});
            }
            byInstance.computeIfAbsent(f.itemId(), k -> new ArrayList<>()).addAll(boxes);
            firstFrame.putIfAbsent(f.itemId(), f);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("sopInstanceUid", f.sopInstanceUid());
            entry.put("frame", f.frameNumber());
            entry.put("boxes", boxes);
            instances.add(entry);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        provenance.forEach((k, v) -> document.put(k.substring(3), v.jsonValue()));
        document.put("instances", instances);
        byte[] json = ManifestParser.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        String name = "boxes-" + job.id() + ".json";
        Item item = repo.items().upload(caller, job.outputFolderId(), name, "application/json",
                new java.io.ByteArrayInputStream(json), json.length, false);
        stored.add(new Job.Result(item.id(), "boxes", name));
        repo.metadata().put(caller, MetadataStore.Target.ITEM, item.id(), provenance);
        for (var entry : byInstance.entrySet()) {
            if (!entry.getValue().isEmpty()) {
                stored.add(overlay(caller, job, firstFrame.get(entry.getKey()), entry.getValue(), provenance));
            }
            flag(caller, entry.getKey(), model, entry.getValue().size(), log);
        }
        return stored;
    }

    private Job.Result overlay(Caller caller, Job job, SourceFrame frame, List<double[]> boxes,
                               Map<String, MetadataValue> provenance) throws IOException {
        Item source = repo.items().get(caller, frame.itemId());
        BufferedImage rendered = FrameRenderer.render(repo.blobs().path(source.primaryFile().sha256()), frame.frameNumber() - 1,
                Optional.empty());
        BufferedImage img = new BufferedImage(rendered.getWidth(), rendered.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.drawImage(rendered, 0, 0, null);
        g.setColor(Color.RED);
        g.setStroke(new BasicStroke(Math.max(1, img.getWidth() / 256f)));
        for (double[] b : boxes) {
            g.drawRect((int) b[0], (int) b[1], (int) (b[2] - b[0]), (int) (b[3] - b[1]));
        }
        g.dispose();
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        try (OutputStream out = png) {
            FrameRenderer.writePng(img, out);
        }
        String name = "overlay-" + job.id() + "-" + frame.sopInstanceUid() + ".png";
        Item item = repo.items().upload(caller, job.outputFolderId(), name, "image/png",
                new java.io.ByteArrayInputStream(png.toByteArray()), png.size(), false);
        repo.metadata().put(caller, MetadataStore.Target.ITEM, item.id(), provenance);
        return new Job.Result(item.id(), "overlay", name);
    }

    /**
     * Marks the input instance's item with the number of boxes found. The user may only read the input folder;
     * then the flag is skipped and the log says so, since results must never need more than the user holds.
     */
    private void flag(Caller caller, String itemId, ModelVersion model, int boxes, StringBuilder log) {
        try {
            Map<String, MetadataValue> values = new LinkedHashMap<>(repo.metadata().get(caller, MetadataStore.Target.ITEM, itemId));
            values.put("ai." + model.name() + ".boxes", new MetadataValue.Number(boxes));
            values.put("ai." + model.name() + ".version", new MetadataValue.Text(model.version()));
            repo.metadata().put(caller, MetadataStore.Target.ITEM, itemId, values);
        } catch (ArcaException e) {
            log.append("flag not set on item ").append(itemId).append(": ").append(e.getMessage()).append('\n');
        }
    }

    /** Nearest-neighbour mapping of a result map onto the source frame's pixel grid. */
    static byte[] toSource(FrameResult r, SourceFrame f) {
        if (r.height() == f.rows() && r.width() == f.columns()) {
            return r.labels();
        }
        byte[] out = new byte[f.rows() * f.columns()];
        for (int y = 0; y < f.rows(); y++) {
            int ry = Math.min(r.height() - 1, (int) ((y + 0.5) * r.height() / f.rows()));
            for (int x = 0; x < f.columns(); x++) {
                int rx = Math.min(r.width() - 1, (int) ((x + 0.5) * r.width() / f.columns()));
                out[y * f.columns() + x] = r.labels()[ry * r.width() + rx];
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
