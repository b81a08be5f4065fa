package org.arca.ai;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import org.arca.ai.worker.TensorFile;
import org.arca.core.ArcaException;
import org.arca.core.ReadableBytes;
import org.arca.core.Repository;
import org.arca.core.access.Caller;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomReader;
import org.arca.dicom.SopClass;
import org.arca.dicom.Tag;
import org.arca.dicom.image.Frames;
import org.arca.dicomweb.DicomQueries;

/**
 * Prepares a job's input in the server, where the data is: finds the series' instances the caller may read,
 * checks them against the manifest (modality, SOP class, one frame size), orders them along the slice normal,
 * and writes one tensor per frame, or for a volume input one resampled tensor of the series. The worker gets
 * only the tensors, as they are written.
 */
final class InputPreparer {
    private final Repository repo;
    private final DicomQueries queries;

    InputPreparer(Repository repo, DicomQueries queries) {
        this.repo = repo;
        this.queries = queries;
    }

    /** The readable instances of a series; NOT_FOUND when there are none, hidden or absent alike. */
    List<DicomQueries.StoredInstance> locate(Caller caller, String study, String series) {
        if (study == null || series == null || study.isBlank() || series.isBlank()) {
            throw ArcaException.invalid("inputs_required", "inputs needs studyInstanceUid and seriesInstanceUid.");
        }
        List<DicomQueries.StoredInstance> found = queries.locate(caller, DicomQueries.Scope.EVERYTHING, study, series, null);
        if (found.isEmpty()) {
            throw ArcaException.notFound("The series");
        }
        return found;
    }

    /**
     * Writes {@code target} and returns the frames in series order: {@link #plan} and {@link Plan#write} in one.
     */
    List<SourceFrame> prepare(Caller caller, ModelManifest.InputSpec spec, String study, String series, Path target,
                              long workerBytes) throws IOException {
        Plan plan = plan(caller, spec, study, series, workerBytes);
        plan.write(Files.newOutputStream(target));
        return plan.placed();
    }

    /**
     * Reads the series' headers (on every processor), checks them against the manifest and orders them, without
     * decoding a pixel: a series the model cannot take fails here. For a volume input its size after resampling
     * is checked against {@code workerBytes} too. The returned plan writes the tensors.
     */
    Plan plan(Caller caller, ModelManifest.InputSpec spec, String study, String series, long workerBytes) throws IOException {
        List<Loaded> instances = new ArrayList<>();
        List<InOrder.Task<Loaded>> reads = new ArrayList<>();
        List<DicomQueries.StoredInstance> located = locate(caller, study, series);
        ReadableBytes bytes = repo.bytes().read(caller, located.stream().map(DicomQueries.StoredInstance::sha256).toList(),
                JobService.JOB_READS);
        for (DicomQueries.StoredInstance s : located) {
            reads.add(() -> {
                DicomFile file = DicomReader.read(bytes.path(s.sha256()), DicomReader.Options.DEFAULT.withBulkThreshold(4096));
                check(spec, file.dataset());
                return new Loaded(s, file);
            });
        }
        InOrder.run(reads, instances::add);
        SeriesOrder.sort(instances, l -> l.file().dataset());
        return spec.volume() ? volume(spec, instances, workerBytes) : frames(spec, instances);
    }

    /**
     * A series checked and ordered for a job: its frames, and the writing of their tensors, which decodes the
     * pixels. Written once, from one thread; {@link #frame} may be read from another while it is written.
     */
    static final class Plan {
        private final List<SourceFrame> frames;
        private final int tensors;
        private final Write write;
        private final AtomicLongArray offsets;

        private interface Write {
            void to(TensorFile.Writer out, AtomicLongArray offsets) throws IOException;
        }

        private Plan(List<SourceFrame> frames, int tensors, Write write) {
            this.frames = frames;
            this.tensors = tensors;
            this.write = write;
            this.offsets = new AtomicLongArray(frames.size());
            for (int i = 0; i < frames.size(); i++) {
                offsets.set(i, -1);
            }
        }

        /** The frames in series order (a volume's slices), where their prepared form lies not yet known. */
        List<SourceFrame> frames() {
            return frames;
        }

        /** How many tensors the input holds, so results the worker gives: one per frame, or one for a volume. */
        int tensors() {
            return tensors;
        }

        /**
         * Decodes the frames (on every processor) and writes their tensors to {@code target} in series order,
         * pushing each on as soon as it is written, so a worker reading the other end can start on it; closes
         * {@code target}.
         */
        void write(OutputStream target) throws IOException {
            try (TensorFile.Writer out = new TensorFile.Writer(target, tensors)) {
                out.flush();
                write.to(out, offsets);
            }
        }

        /** Frame {@code i} with where its prepared form starts in the written file, once it was written. */
        SourceFrame frame(int i) {
            return frames.get(i).at(offsets.get(i));
        }

        /** All frames as {@link #frame} gives them. */
        List<SourceFrame> placed() {
            List<SourceFrame> placed = new ArrayList<>(frames.size());
            for (int i = 0; i < frames.size(); i++) {
                placed.add(frame(i));
            }
            return placed;
        }
    }

    private record Loaded(DicomQueries.StoredInstance stored, DicomFile file) implements VolumeTensors.Slice {
        @Override
        public Attributes header() {
            return file.dataset();
        }

        @Override
        public org.arca.dicom.image.DecodedFrame decode() throws IOException {
            return Frames.of(file).decode(0);
        }
    }

    /**
     * The series as one volume: checked to be one ({@link VolumeGeometry}), its size after resampling checked
     * against the worker's memory before a pixel is decoded; written as one tensor.
     */
    private static Plan volume(ModelManifest.InputSpec spec, List<Loaded> instances, long workerBytes) {
        VolumeGeometry geometry = VolumeGeometry.of(instances.stream().map(Loaded::header).toList());
        int[] size = geometry.target(spec);
        VolumeGeometry.requireFits(size, workerBytes);
        List<SourceFrame> frames = new ArrayList<>();
        for (Loaded l : instances) {
            frames.add(new SourceFrame(l.stored().itemId(), l.stored().sha256(), withoutPixels(l.header()), 1,
                    geometry.rows(), geometry.columns()));
        }
        // A volume's slices are not read back for overlays: their offsets stay unknown.
        return new Plan(frames, 1, (out, offsets) -> {
            out.write(VolumeTensors.of(spec, instances, size));
            out.flush();
        });
    }

    private static Plan frames(ModelManifest.InputSpec spec, List<Loaded> instances) {
        List<SourceFrame> frames = new ArrayList<>();
        List<InOrder.Task<TensorFile.Frame>> tensors = new ArrayList<>();
        int rows = -1;
        int cols = -1;
        for (Loaded l : instances) {
            Attributes ds = l.file().dataset();
            int r = ds.getInt(Tag.Rows, 0);
            int c = ds.getInt(Tag.Columns, 0);
            if (rows >= 0 && (r != rows || c != cols)) {
                throw ArcaException.invalid("inconsistent_sizes", "The series mixes frame sizes (" + cols + "×" + rows
                        + " and " + c + "×" + r + "); the model needs one size.");
            }
            rows = r;
            cols = c;
            int count = Math.max(1, ds.getInt(Tag.NumberOfFrames, 1));
            Attributes header = withoutPixels(ds);
            for (int f = 1; f <= count; f++) {
                frames.add(new SourceFrame(l.stored().itemId(), l.stored().sha256(), header, f, r, c));
                int index = f - 1;
                tensors.add(() -> FrameTensors.of(spec, ds, Frames.of(l.file()).decode(index)));
            }
        }
        return new Plan(frames, frames.size(), (out, offsets) -> {
            int[] next = {0};
            InOrder.run(tensors, frame -> {
                offsets.set(next[0]++, out.write(frame));
                out.flush();
            });
        });
    }

    private static void check(ModelManifest.InputSpec spec, Attributes ds) {
        String sopClass = ds.getString(Tag.SOPClassUID, "");
        String modality = ds.getString(Tag.Modality, "").strip().toUpperCase(Locale.ROOT);
        // Without Modality, what the SOP class implies stands in: secondary captures made from ordinary images
        // (DCMTK's img2dcm writes none) are OT to a model that accepts OT or SC.
        List<String> modalities = modality.isEmpty() ? SopClass.impliedModalities(sopClass) : List.of(modality);
        if (spec.modalities().stream().noneMatch(m -> modalities.stream().anyMatch(m::equalsIgnoreCase))) {
            String is = !modality.isEmpty() ? modality : modalities.isEmpty() ? "without modality"
                    : "a secondary capture without modality (taken as " + String.join(" or ", modalities) + ")";
            throw ArcaException.invalid("wrong_modality", "The series is " + is + "; the model accepts "
                    + String.join(", ", spec.modalities()) + ".");
        }
        if (!spec.sopClasses().isEmpty() && !spec.sopClasses().contains(sopClass)) {
            throw ArcaException.invalid("wrong_sop_class", "The model does not accept SOP class " + sopClass + ".");
        }
        if (!ds.contains(Tag.PixelData)) {
            throw ArcaException.invalid("no_pixels", "An instance of the series has no pixel data.");
        }
    }

    private static Attributes withoutPixels(Attributes ds) {
        Attributes copy = new Attributes();
        for (var e : ds.elements()) {
            if (e.tag() != Tag.PixelData) {
                copy.set(e);
            }
        }
        return copy;
    }
}
