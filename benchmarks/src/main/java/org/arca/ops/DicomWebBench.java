package org.arca.ops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomWriter;
import org.arca.dicom.Tag;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.VR;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arca bench dicomweb}: the same synthetic data and the same requests against any DICOMweb servers
 * (Arca, Orthanc, ...), one after the other, with ratios to the first. STOW-RS ingest with parallel
 * clients, QIDO-RS study searches over many studies, series metadata cold and warm, and frame retrieval
 * as OHIF does it. The data is synthetic CT (no patient data). Prints, never asserts.
 */
@Command(name = "dicomweb", description = "Benchmark DICOMweb servers on the same synthetic data.")
final class DicomWebBench implements Callable<Integer> {

    @Option(names = "--target", required = true, description = "name=URL,login:password (the DICOMweb root); repeatable; the first is the reference")
    List<String> targets;
    @Option(names = "--instances", defaultValue = "1000", description = "CT instances (512x512, 16-bit) for the ingest")
    int instances;
    @Option(names = "--series-size", defaultValue = "1000", description = "Instances per series in the ingest")
    int seriesSize;
    @Option(names = "--studies", defaultValue = "10000", description = "Small studies stored for the search benchmark")
    int studies;
    @Option(names = "--frames-series", defaultValue = "500", description = "Instances whose frames are retrieved")
    int framesSeries;
    @Option(names = "--clients", defaultValue = "4", description = "Parallel STOW-RS clients")
    int clients;
    @Option(names = "--scratch", description = "A folder on the servers' disk, for measuring its durable write rate (default: the temp folder)")
    Path scratch;

    record Target(String name, String url, String auth) {
        static Target parse(String text) {
            int eq = text.indexOf('=');
            int comma = text.lastIndexOf(',');
            return new Target(text.substring(0, eq), text.substring(eq + 1, comma).replaceAll("/$", ""),
                    "Basic " + Base64.getEncoder().encodeToString(text.substring(comma + 1).getBytes(StandardCharsets.UTF_8)));
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, Map<String, Double>> results = new LinkedHashMap<>();
    private final Set<String> printedRefusals = ConcurrentHashMap.newKeySet();
    private double diskCtFilesPerSecond;
    private double diskSmallFilesPerSecond;

    @Override
    public Integer call() throws Exception {
        String run = Long.toString(System.currentTimeMillis() % 1_000_000);
        byte[] pixels = ctPixels(512);
        System.out.printf(Locale.ROOT, "DICOMweb bench: %d CT instances of 512x512 (series of %d), %d small studies, frames of %d "
                + "instances; %d STOW clients%n", instances, seriesSize, studies, framesSeries, clients);
        diskRates(pixels);
        for (String spec : targets) {
            Target target = Target.parse(spec);
            Map<String, Double> r = new LinkedHashMap<>();
            results.put(target.name(), r);
            String prefix = "1.2.826.0.1.3680043.10.99." + run + "." + Math.abs(target.name().hashCode() % 1000);
            System.out.printf(Locale.ROOT, "%n== %s (%s)%n", target.name(), target.url());
            ingest(target, prefix, pixels, r);
            search(target, prefix, r);
            metadata(target, prefix, r);
            frames(target, prefix, r);
        }
        report();
        return 0;
    }

    private void ingest(Target target, String prefix, byte[] pixels, Map<String, Double> r) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long bytes = 0;
        int refused = 0;
        List<Future<Long>> sent = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < instances; i++) {
            int n = i;
            sent.add(pool.submit(() -> {
                int series = n / seriesSize;
                Instance dicom = instance(prefix + ".1", prefix + ".1." + series, prefix + ".1." + series + "." + (n + 1),
                        "BENCH^CT", "PBENCH", "20260301", n + 1, pixels, 512);
                return stow(target, List.of(dicom)) == 200 ? dicom.length() : -1L;
            }));
        }
        for (Future<Long> f : sent) {
            long sentBytes = f.get();
            if (sentBytes < 0) {
                refused++;
            } else {
                bytes += sentBytes;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        int stored = instances - refused;
        r.put("STOW CT instances/s", stored / seconds);
        r.put("STOW CT MB/s", bytes / 1e6 / seconds);
        r.put("STOW CT refused", (double) refused);
        System.out.printf(Locale.ROOT, "  STOW-RS CT: %d instances (one per request, %d clients) in %.1f s = %.0f instances/s, %.0f MB/s; "
                + "%d refused%n", instances, clients, seconds, stored / seconds, bytes / 1e6 / seconds, refused);
    }

    /**
     * The disk's own durable write rate for files of each instance size, with as many writers as STOW clients: the
     * ceiling for any server that fsyncs what it acknowledges (Orthanc, as Debian configures it, does not).
     */
    private void diskRates(byte[] pixels) throws Exception {
        Path dir = scratch != null ? scratch : Path.of(System.getProperty("java.io.tmpdir"));
        int ct = (int) instance("1.2.3", "1.2.3.1", "1.2.3.1.1", "A^B", "P", "20260101", 1, pixels, 512).length();
        int small = (int) instance("1.2.3", "1.2.3.1", "1.2.3.1.1", "A^B", "P", "20260101", 1, ctPixels(64), 64).length();
        diskCtFilesPerSecond = DurableWriteProbe.filesPerSecond(dir, ct, Math.min(instances, 1000), clients);
        diskSmallFilesPerSecond = DurableWriteProbe.filesPerSecond(dir, small, Math.min(studies, 2000), clients);
        System.out.printf(Locale.ROOT, "disk (%s), %d writers each fsyncing file and folder: %.0f files/s of %d KiB, %.0f files/s of %d KiB%n",
                dir, clients, diskCtFilesPerSecond, ct / 1024, diskSmallFilesPerSecond, small / 1024);
    }

    private void search(Target target, String prefix, Map<String, Double> r) throws Exception {
        byte[] small = ctPixels(64);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Integer>> sent = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < studies; i++) {
            int s = i;
            sent.add(pool.submit(() -> {
                String study = prefix + ".2." + s;
                String date = String.format(Locale.ROOT, "2025%02d%02d", 1 + s % 12, 1 + s % 28);
                return stow(target, List.of(instance(study, study + ".1", study + ".1.1",
                        String.format(Locale.ROOT, "PAT%05d^Search", s), "S" + s, date, 1, small, 64)));
            }));
        }
        int refused = 0;
        for (Future<Integer> f : sent) {
            refused += f.get() == 200 ? 0 : 1;
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        r.put("STOW small instances/s", (studies - refused) / seconds);
        r.put("STOW small refused", (double) refused);
        System.out.printf(Locale.ROOT, "  STOW-RS small: %d single-instance studies of 64x64 (one per request, %d clients) in %.1f s = "
                + "%.0f instances/s; %d refused%n", studies, clients, seconds, (studies - refused) / seconds, refused);
        String[] queries = {"PatientName=PAT01*", "StudyDate=20250301-20250310", "ModalitiesInStudy=CT&StudyDate=20250601-20250605",
                "PatientName=PAT0123*&limit=10", "PatientID=S4242"};
        List<Double> times = new ArrayList<>();
        Map<String, List<Double>> byQuery = new LinkedHashMap<>();
        // The first rounds are not counted: a JVM server answers from interpreted code until the JIT has compiled
        // the query path (about a hundred requests here), and a steady state is what users of a running server see.
        int warmup = 20;
        for (int round = 0; round < warmup + 40; round++) {
            for (String q : queries) {
                long t = System.nanoTime();
                HttpResponse<byte[]> response = get(target, "/studies?" + q, "application/dicom+json");
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(target.name() + " QIDO answered " + response.statusCode());
                }
                if (round >= warmup) {
                    double ms = (System.nanoTime() - t) / 1e6;
                    times.add(ms);
                    byQuery.computeIfAbsent(q, k -> new ArrayList<>()).add(ms);
                }
            }
        }
        byQuery.forEach((q, list) -> {
            Collections.sort(list);
            double p95 = list.get((int) Math.ceil(list.size() * 0.95) - 1);
            System.out.printf(Locale.ROOT, "    %-50s p50 %6.1f ms  p95 %6.1f ms%n", q, list.get(list.size() / 2), p95);
            r.put("QIDO p95 ms " + q.substring(0, q.indexOf('=')) + (q.contains("limit") ? "+limit" : ""), p95);
        });
        Collections.sort(times);
        r.put("QIDO p50 ms", times.get(times.size() / 2));
        r.put("QIDO p95 ms", times.get((int) Math.ceil(times.size() * 0.95) - 1));
        System.out.printf(Locale.ROOT, "  QIDO-RS studies (%d queries of %d kinds): p50 %.1f ms, p95 %.1f ms%n", times.size(),
                queries.length, r.get("QIDO p50 ms"), r.get("QIDO p95 ms"));
    }

    private void metadata(Target target, String prefix, Map<String, Double> r) throws Exception {
        String path = "/studies/" + prefix + ".1/series/" + prefix + ".1.0/metadata";
        long t = System.nanoTime();
        HttpResponse<byte[]> cold = get(target, path, "application/dicom+json");
        double coldMs = (System.nanoTime() - t) / 1e6;
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            t = System.nanoTime();
            get(target, path, "application/dicom+json");
            warm.add((System.nanoTime() - t) / 1e6);
        }
        Collections.sort(warm);
        r.put("metadata cold ms", coldMs);
        r.put("metadata warm ms", warm.get(2));
        System.out.printf(Locale.ROOT, "  series metadata (%d instances, %d KB): cold %.0f ms, warm %.0f ms (median of 5)%n",
                Math.min(seriesSize, instances), cold.body().length / 1024, coldMs, warm.get(2));
    }

    private void frames(Target target, String prefix, Map<String, Double> r) throws Exception {
        int count = Math.min(framesSeries, Math.min(seriesSize, instances));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<Integer>> fetched = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 1; i <= count; i++) {
            String path = "/studies/" + prefix + ".1/series/" + prefix + ".1.0/instances/" + prefix + ".1.0." + i + "/frames/1";
            fetched.add(pool.submit(() -> {
                HttpResponse<byte[]> response = get(target, path,
                        "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(target.name() + " frames answered " + response.statusCode());
                }
                return response.body().length;
            }));
        }
        long bytes = 0;
        for (Future<Integer> f : fetched) {
            bytes += f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        r.put("frames total s", seconds);
        System.out.printf(Locale.ROOT, "  frames of %d instances, 6 in parallel: %.2f s (%.0f MB/s)%n", count, seconds,
                bytes / 1e6 / seconds);
    }

    private void report() {
        System.out.printf(Locale.ROOT, "%nShare of the disk's durable write rate (STOW rate / files the disk fsyncs per second):%n");
        results.forEach((name, r) -> System.out.printf(Locale.ROOT, "  %-10s CT %3.0f %%, small %3.0f %%%n", name,
                100 * r.get("STOW CT instances/s") / diskCtFilesPerSecond, 100 * r.get("STOW small instances/s") / diskSmallFilesPerSecond));
        if (results.size() < 2) {
            return;
        }
        String reference = results.keySet().iterator().next();
        System.out.printf(Locale.ROOT, "%n%-34s", "measure");
        results.keySet().forEach(name -> System.out.printf(Locale.ROOT, " %12s", name));
        System.out.printf(Locale.ROOT, "   %s vs others%n", reference);
        for (String measure : results.get(reference).keySet()) {
            System.out.printf(Locale.ROOT, "%-34s", measure);
            for (Map<String, Double> r : results.values()) {
                System.out.printf(Locale.ROOT, " %12.1f", r.get(measure));
            }
            boolean higherIsBetter = measure.contains("/s");
            for (Map.Entry<String, Map<String, Double>> other : results.entrySet()) {
                if (!other.getKey().equals(reference) && !measure.contains("refused")) {
                    double a = results.get(reference).get(measure);
                    double b = other.getValue().get(measure);
                    System.out.printf(Locale.ROOT, "   %.2fx %s", higherIsBetter ? a / b : b / a, "better than " + other.getKey());
                }
            }
            System.out.println();
        }
    }

    /** The status STOW-RS answered; a refusal is printed once per kind and counted by the caller. */
    private int stow(Target target, List<Instance> parts) throws IOException, InterruptedException {
        // A new random boundary per request, as real clients send them (the npm dicomweb-client uses a UUID).
        String boundary = UUID.randomUUID().toString();
        // The body is a list of slices, the shared pixel bytes among them: the client copies nothing, so the
        // time measured is the server's, not the bench's.
        List<byte[]> body = new ArrayList<>();
        for (Instance part : parts) {
            body.add(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.addAll(part.slices());
            body.add("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.url() + "/studies"))
                .header("Authorization", target.auth()).header("Accept", "application/dicom+json")
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(body)).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            refusal(target, "connection failed: " + e);
            return -1;
        }
        if (response.statusCode() != 200) {
            refusal(target, response.statusCode() + " " + response.headers().firstValue("Warning").orElse("")
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.statusCode();
    }

    private void refusal(Target target, String what) {
        String key = target.name() + " " + what.substring(0, Math.min(3, what.length()));
        if (printedRefusals.add(key)) {
            System.out.printf(Locale.ROOT, "  %s refused a STOW request (first of its kind): %s%n", target.name(),
                    what.length() > 300 ? what.substring(0, 300) : what);
        }
    }

    private HttpResponse<byte[]> get(Target target, String path, String accept) throws IOException, InterruptedException {
        String url = target.url() + path.replace("^", URLEncoder.encode("^", StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", target.auth()).header("Accept", accept)
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] ctPixels(int size) {
        byte[] pixels = new byte[size * size * 2];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int dx = x - size / 2;
                int dy = y - size / 2;
                int value = dx * dx + dy * dy < size * size / 9 ? 1000 + (x ^ y) % 200 : 24 + (x * 7 + y * 3) % 50;
                pixels[(y * size + x) * 2] = (byte) value;
                pixels[(y * size + x) * 2 + 1] = (byte) (value >> 8);
            }
        }
        return pixels;
    }

    /** A Part 10 instance as slices: everything before the pixel data, the pixel data element's header, the pixels. */
    private record Instance(List<byte[]> slices) {
        long length() {
            return slices.stream().mapToLong(b -> b.length).sum();
        }
    }

    private static Instance instance(String study, String series, String sop, String name, String patientId, String date, int number,
                                   byte[] pixels, int size) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.2");
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyDate, VR.DA, date);
        ds.setString(Tag.StudyTime, VR.TM, "120000");
        ds.setString(Tag.AccessionNumber, VR.SH, "A" + patientId);
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.StudyDescription, VR.LO, "Bench");
        ds.setString(Tag.PatientName, VR.PN, name);
        ds.setString(Tag.PatientID, VR.LO, patientId);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.SeriesNumber, VR.IS, "1");
        ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(number));
        ds.setString(0x00200032, VR.DS, "0", "0", Integer.toString(number));
        ds.setString(0x00200037, VR.DS, "1", "0", "0", "0", "1", "0");
        ds.setString(0x00280030, VR.DS, "0.7", "0.7");
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, size);
        ds.setInt(Tag.Columns, VR.US, size);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.setString(0x00281052, VR.DS, "-1024");
        ds.setString(0x00281053, VR.DS, "1");
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try {
            DicomWriter.write(out, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // (7FE0,0010) OW in explicit VR little endian: tag, VR, two reserved bytes, a 32-bit length.
        ByteBuffer pixelHeader = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        pixelHeader.putShort((short) 0x7FE0).putShort((short) 0x0010).put((byte) 'O').put((byte) 'W').putShort((short) 0)
                .putInt(pixels.length);
        return new Instance(List.of(out.toByteArray(), pixelHeader.array(), pixels));
    }
}
