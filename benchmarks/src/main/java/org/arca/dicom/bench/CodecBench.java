package org.arca.dicom.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomJson;
import org.arca.dicom.DicomReader;
import org.arca.dicom.Tag;
import org.arca.dicom.image.FrameRenderer;

/**
 * The codec's benchmarks, as a command anyone can rerun (see the module README):
 * parsing to the index attributes, full parse to JSON against DCMTK's {@code dcm2json} on the same
 * files, and rendering a 512×512 16-bit frame to PNG. Prints a Markdown table with the targets
 * next to the numbers; nothing is asserted.
 *
 * <p>Usage: {@code CodecBench [DIR] [--instances N] [--json-files N] [--render-runs N] [--passes N]}.
 * The synthetic files are written once into DIR (default {@code $TMPDIR/arca-codec-bench}) and
 * reused by later runs. Everything runs on the calling thread.
 */
public final class CodecBench {
    /** Stop before pixel data: everything an index needs comes earlier. */
    private static final int BEFORE_PIXEL_DATA = Tag.PixelData - 1;

    private final List<String> rows = new ArrayList<>();

    private CodecBench() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "arca-codec-bench");
        int instances = 10_000;
        int jsonFiles = 1_000;
        int renderRuns = 200;
        int passes = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--instances" -> instances = Integer.parseInt(args[++i]);
                case "--json-files" -> jsonFiles = Integer.parseInt(args[++i]);
                case "--render-runs" -> renderRuns = Integer.parseInt(args[++i]);
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                default -> dir = Path.of(args[i]);
            }
        }
        new CodecBench().run(dir, instances, Math.min(jsonFiles, instances), renderRuns, passes);
    }

    private void run(Path dir, int instances, int jsonFiles, int renderRuns, int passes) throws IOException {
        System.out.printf("Arca codec bench: Java %s, %d processors, one thread; files in %s%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), dir);
        long t = System.nanoTime();
        List<Path> files = new SyntheticCt(dir, instances, 10).files();
        System.out.printf("%,d synthetic CT files (512x512x16, Explicit VR LE, 10 series) ready in %.1f s%n",
                files.size(), (System.nanoTime() - t) / 1e9);
        indexParse(files, passes);
        jsonAgainstDcm2json(files, jsonFiles);
        render(files.getFirst(), renderRuns);
        System.out.println();
        System.out.println("| measure | result | target |");
        System.out.println("|---|---|---|");
        rows.forEach(System.out::println);
    }

    private void indexParse(List<Path> files, int passes) throws IOException {
        indexPass(files); // warms the page cache and the JIT; not counted
        double best = 0;
        List<String> each = new ArrayList<>();
        for (int p = 0; p < passes; p++) {
            long t = System.nanoTime();
            int series = indexPass(files);
            double perSecond = files.size() / ((System.nanoTime() - t) / 1e9);
            best = Math.max(best, perSecond);
            each.add(String.format("%,.0f", perSecond));
            if (series != 10) {
                throw new IllegalStateException("expected 10 series, indexed " + series);
            }
        }
        System.out.println("index parse passes (instances/s): " + String.join(", ", each));
        row(String.format("parse to index attributes (stop before pixel data), %,d files, best of %d passes "
                + "after a warm-up pass (page cache warm)", files.size(), passes),
                String.format("%,.0f instances/s", best), "≥ 20,000 instances/s");
    }

    /** Reads each file up to its pixel data and keeps what the index keeps; returns the series count. */
    private static int indexPass(List<Path> files) throws IOException {
        Set<String> series = new HashSet<>();
        long check = 0;
        for (Path f : files) {
            Attributes a = DicomReader.read(f, DicomReader.Options.DEFAULT.withStopAfter(BEFORE_PIXEL_DATA)).dataset();
            series.add(a.getString(Tag.SeriesInstanceUID, ""));
            check += a.getString(Tag.StudyInstanceUID, "").length() + a.getString(Tag.SOPInstanceUID, "").length()
                    + a.getString(Tag.PatientID, "").length() + a.getString(Tag.PatientName, "").length()
                    + a.getString(Tag.Modality, "").length() + a.getString(Tag.StudyDate, "").length()
                    + a.getInt(Tag.InstanceNumber, 0) + a.getInt(Tag.Rows, 0);
        }
        if (check == 0) {
            throw new IllegalStateException("nothing indexed");
        }
        return series.size();
    }

    private void jsonAgainstDcm2json(List<Path> all, int count) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            files.add(all.get((int) ((long) i * all.size() / count)));
        }
        for (Path f : files.subList(0, Math.min(100, files.size()))) {
            arcaJson(f, OutputStream.nullOutputStream()); // JIT warm-up
        }
        long[] arca = new long[files.size()];
        CountingStream out = new CountingStream();
        long t = System.nanoTime();
        for (int i = 0; i < files.size(); i++) {
            long s = System.nanoTime();
            arcaJson(files.get(i), out);
            arca[i] = (System.nanoTime() - s) / 1000;
        }
        double arcaPerSecond = files.size() / ((System.nanoTime() - t) / 1e9);
        String scope = String.format("%,d of the files, pixel data as InlineBinary, compact JSON to a null sink", files.size());
        row("full parse to JSON, Arca: " + scope, String.format("%.2f ms/file median, %,.0f files/s (%.0f KB JSON/file)",
                median(arca) / 1000.0, arcaPerSecond, out.count / 1024.0 / files.size()), "");
        if (!Dcm2json.installed()) {
            row("full parse to JSON, dcm2json", "not installed: no comparison", "");
            return;
        }
        long[] dcmtk = Dcm2json.convert(files);
        long[] start = Dcm2json.start(200);
        double dcmtkMedian = median(dcmtk);
        double startMedian = median(start);
        row("full parse to JSON, `dcm2json -fc FILE > /dev/null` per file, one bash loop, same files",
                String.format("%.2f ms/file median", dcmtkMedian / 1000), "");
        row("dcm2json process start (`dcm2json --version`, 200 runs)", String.format("%.2f ms median", startMedian / 1000), "");
        row("JSON throughput ratio Arca / dcm2json, per-file medians",
                String.format("%.1f× with dcm2json's start; %.1f× with its start subtracted",
                        dcmtkMedian / median(arca), (dcmtkMedian - startMedian) / median(arca)), "≥ 5×");
    }

    /** A full read with every value loaded, written as JSON with every value inline, as dcm2json does. */
    private static void arcaJson(Path f, OutputStream out) throws IOException {
        DicomFile file = DicomReader.read(f, DicomReader.Options.DEFAULT);
        DicomJson.write(file.dataset(), out, DicomJson.Options.INLINE);
    }

    private void render(Path file, int runs) throws IOException {
        int warmUp = Math.max(20, runs / 4);
        long[] decode = new long[runs];
        long[] png = new long[runs];
        long[] total = new long[runs];
        int size = 0;
        for (int i = -warmUp; i < runs; i++) {
            long s = System.nanoTime();
            BufferedImage img = FrameRenderer.render(file, 0, Optional.empty());
            long m = System.nanoTime();
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 18);
            FrameRenderer.writePng(img, out);
            long e = System.nanoTime();
            if (i >= 0) {
                decode[i] = (m - s) / 1000;
                png[i] = (e - m) / 1000;
                total[i] = (e - s) / 1000;
                size = out.size();
            }
        }
        row(String.format("render 512×512 16-bit frame to PNG (read, decode, rescale, window, encode), "
                + "median of %d runs after %d warm-up runs", runs, warmUp),
                String.format("%.2f ms (read+decode+window %.2f ms, PNG encode %.2f ms; %d KB PNG)",
                        median(total) / 1000, median(decode) / 1000, median(png) / 1000, size / 1024), "< 10 ms");
    }

    private void row(String measure, String result, String target) {
        rows.add("| " + measure + " | " + result + " | " + target + " |");
    }

    private static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    }

    /** Counts what is written and drops it: the JSON's size without keeping it. */
    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
