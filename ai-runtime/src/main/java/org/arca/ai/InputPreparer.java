package org.arca.ai;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.arca.ai.worker.TensorFile;
import org.arca.core.ArcaException;
import org.arca.core.Caller;
import org.arca.core.Repository;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomReader;
import org.arca.dicom.Tag;
import org.arca.dicom.image.Frames;
import org.arca.dicomweb.DicomQueries;

/**
 * Prepares a job's input in the server, where the data is: finds the series' instances the caller may read,
 * checks them against the manifest (modality, SOP class, one frame size), orders them along the slice normal,
 * and writes one tensor per frame, or for a volume input one resampled tensor of the series. The worker gets
 * only the tensor file.
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
     * Writes {@code target} and returns the frames in series order. Instances are read, and frames decoded and
     * rendered, on every processor; the file gets them in series order: one tensor per frame, or for a volume
     * input one tensor of the whole series, which must fit in {@code workerBytes}.
     */
    List<SourceFrame> prepare(Caller caller, ModelManifest.InputSpec spec, String study, String series, Path target,
                              long workerBytes) throws IOException {
        List<Loaded> instances = new ArrayList<>();
        List<InOrder.Task<Loaded>> reads = new ArrayList<>();
        for (DicomQueries.StoredInstance s : locate(caller, study, series)) {
            reads.add(() -> {
                DicomFile file = DicomReader.read(repo.blobs().path(s.sha256()), DicomReader.Options.DEFAULT.withBulkThreshold(4096));
                check(spec, file.dataset());
                return new Loaded(s, file);
            });
        }
        InOrder.run(reads, instances::add);
        SeriesOrder.sort(instances, l -> l.file().dataset());
        return spec.volume() ? volume(spec, instances, target, workerBytes) : frames(spec, instances, target);
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
     * against the worker's memory before a pixel is decoded, then written as one tensor.
     */
    private static List<SourceFrame> volume(ModelManifest.InputSpec spec, List<Loaded> instances, Path target,
                                            long workerBytes) throws IOException {
        VolumeGeometry geometry = VolumeGeometry.of(instances.stream().map(Loaded::header).toList());
        int[] size = geometry.target(spec);
        VolumeGeometry.requireFits(size, workerBytes);
        List<SourceFrame> frames = new ArrayList<>();
        for (Loaded l : instances) {
            frames.add(new SourceFrame(l.stored().itemId(), l.stored().sha256(), withoutPixels(l.header()), 1,
                    geometry.rows(), geometry.columns()));
        }
        TensorFile.Tensor tensor = VolumeTensors.of(spec, instances, size);
        try (TensorFile.Writer out = new TensorFile.Writer(target, 1)) {
            out.write(tensor);
        }
        return frames;
    }

    private static List<SourceFrame> frames(ModelManifest.InputSpec spec, List<Loaded> instances, Path target)
            throws IOException {
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
        long[] offsets = new long[frames.size()];
        try (TensorFile.Writer out = new TensorFile.Writer(target, frames.size())) {
            int[] next = {0};
            InOrder.run(tensors, frame -> offsets[next[0]++] = out.write(frame));
        }
        List<SourceFrame> placed = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            placed.add(frames.get(i).at(offsets[i]));
        }
        return placed;
    }

    private static void check(ModelManifest.InputSpec spec, Attributes ds) {
        String modality = ds.getString(Tag.Modality, "").toUpperCase(Locale.ROOT);
        if (spec.modalities().stream().noneMatch(m -> m.equalsIgnoreCase(modality))) {
            throw ArcaException.invalid("wrong_modality", "The series is " + (modality.isEmpty() ? "without modality" : modality)
                    + "; the model accepts " + String.join(", ", spec.modalities()) + ".");
        }
        String sopClass = ds.getString(Tag.SOPClassUID, "");
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
