package org.arca.dicom;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A seeded mutation fuzzer over the reader. Inputs are corpus files with bytes flipped, lengths
 * rewritten, runs cut or duplicated and item tags dropped in; an input whose outcome has not been
 * seen before (a new error message shape, or a successful read of a new shape) joins the pool, so
 * later mutations start from inputs that already reach deeper code. That outcome set is the
 * cheap coverage proxy the long run reports.
 *
 * <p>Each input must either read or end in a {@link DicomFormatException}, within a time limit
 * (enforced: the input runs on a worker thread), without allocating far more than it holds, and
 * with bulk values that stay inside the file. Anything else is a finding. Not thread-safe.
 */
final class ReaderFuzzer {
    /** A broken input and what went wrong. */
    record Finding(String problem, byte[] input) {
    }

    /** Inputs allowed to allocate this much plus {@link #ALLOCATION_PER_BYTE} per input byte. */
    private static final long ALLOCATION_BASE = 32L << 20;
    /** JSON with base64 and three reads of the input stay well under this per input byte. */
    private static final long ALLOCATION_PER_BYTE = 64;
    private static final int POOL_LIMIT = 4000;

    private final Random random;
    private final long timeLimitNanos;
    private final Path scratch;
    private final List<byte[]> pool = new ArrayList<>();
    /** Outcome shape to the first input that produced it. */
    private final Map<String, byte[]> outcomes = new LinkedHashMap<>();
    private final List<Finding> findings = new ArrayList<>();
    private ExecutorService worker = newWorker();
    private long tried;

    /**
     * @param seeds     the inputs mutations start from
     * @param seed      the random seed: the same seed and seeds give the same inputs
     * @param timeLimit per-input limit in milliseconds
     * @param scratch   a folder for the occasional input read from a file (bulk data path)
     */
    ReaderFuzzer(List<byte[]> seeds, long seed, long timeLimit, Path scratch) {
        this.pool.addAll(seeds);
        this.random = new Random(seed);
        this.timeLimitNanos = TimeUnit.MILLISECONDS.toNanos(timeLimit);
        this.scratch = scratch;
    }

    /** The corpus files as seeds. */
    static List<byte[]> corpusSeeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (Path f : Corpus.files()) {
            if (Files.size(f) < 40_000) {
                seeds.add(Files.readAllBytes(f));
            }
        }
        return seeds;
    }

    /**
     * Mutates and tries inputs until {@code iterations} were tried or {@code seconds} passed,
     * whichever comes first, or until an input hangs (its worker thread cannot be reused).
     */
    void run(long iterations, long seconds) {
        long budget = TimeUnit.SECONDS.toNanos(seconds);
        long start = System.nanoTime();
        while (tried < iterations && System.nanoTime() - start < budget) {
            byte[] input = mutate(pool.get(random.nextInt(pool.size())), random);
            if (!tryInput(input) && findings.getLast().problem().startsWith("hang")) {
                break;
            }
        }
        worker.shutdownNow();
    }

    /** Tries one input; false when it is a finding. */
    boolean tryInput(byte[] input) {
        tried++;
        boolean viaFile = tried % 16 == 0;
        Future<String> outcome = worker.submit(() -> outcomeOf(input, viaFile));
        try {
            String shape = outcome.get(timeLimitNanos, TimeUnit.NANOSECONDS);
            if (!outcomes.containsKey(shape)) {
                outcomes.put(shape, input);
                if (pool.size() < POOL_LIMIT && input.length < 64_000) {
                    pool.add(input);
                }
            }
            return true;
        } catch (TimeoutException e) {
            outcome.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
            findings.add(new Finding("hang: no outcome within " + timeLimitNanos / 1_000_000 + " ms", input));
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            java.io.StringWriter trace = new java.io.StringWriter();
            t.printStackTrace(new java.io.PrintWriter(trace));
            findings.add(new Finding(t instanceof AssertionError ? t.getMessage() : trace.toString(), input));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return false;
    }

    /**
     * Runs the reader over one input in every way the codec reads: from bytes, from a stream of
     * unknown length stopping early, and now and then from a file with bulk data left in it.
     * Returns the outcome's shape; throws for anything that is not a clean outcome.
     */
    private String outcomeOf(byte[] input, boolean viaFile) throws IOException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        String shape;
        try {
            DicomFile full = DicomReader.read(input, DicomReader.Options.DEFAULT);
            DicomJson.toJson(full.dataset(), DicomJson.Options.INLINE);
            String ts = TransferSyntax.isKnown(full.transferSyntax().uid()) ? full.transferSyntax().uid() : "unknown syntax";
            shape = "read " + ts + ", 2^" + (32 - Integer.numberOfLeadingZeros(full.dataset().size()))
                    + " elements or fewer, depth " + depth(full.dataset());
            stoppedReadAgrees(input, full);
        } catch (DicomFormatException e) {
            // The message without its offset, quoted values and numbers: which check fired.
            shape = "error " + e.getMessage().replaceAll(" \\(offset .*\\)$", "").replaceAll("(?s)'.*'|\\[.*]", "…")
                    .replaceAll("\\b(0x)?[0-9A-Fa-f]{4,}\\b|\\d+", "N");
        }
        if (viaFile) {
            bulkStaysInTheFile(input);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        if (allocated > ALLOCATION_BASE + ALLOCATION_PER_BYTE * input.length) {
            throw new AssertionError("allocated " + allocated + " bytes for an input of " + input.length);
        }
        return shape;
    }

    /** Reading from a stream and stopping after the patient name gives what the full read has. */
    private static void stoppedReadAgrees(byte[] input, DicomFile full) throws IOException {
        DicomFile stopped;
        try {
            stopped = DicomReader.read(new ByteArrayInputStream(input),
                    DicomReader.Options.DEFAULT.withStopAfter(Tag.PatientName));
        } catch (DicomFormatException e) {
            throw new AssertionError("a stopped read from a stream fails where the full read succeeds: " + e, e);
        }
        for (Element e : stopped.dataset().elements()) {
            if (!full.dataset().get(e.tag()).map(e::equals).orElse(false)) {
                throw new AssertionError("a stopped read from a stream differs from the full read at " + e);
            }
        }
    }

    private void bulkStaysInTheFile(byte[] input) throws IOException {
        Path f = scratch.resolve("fuzz-input.dcm");
        Files.write(f, input);
        try {
            DicomFile file = DicomReader.read(f, DicomReader.Options.DEFAULT.withBulkThreshold(64));
            checkBulk(file.dataset(), input.length);
        } catch (DicomFormatException expected) {
            // The same input read from bytes decides whether it is well-formed.
        }
    }

    private static void checkBulk(Attributes a, long size) {
        for (Element e : a.elements()) {
            switch (e.value()) {
                case Value.Bulk b -> checkInside(b.data(), size, e);
                case Value.Fragments f -> f.items().stream()
                        .filter(v -> v instanceof Value.Bulk)
                        .forEach(v -> checkInside(((Value.Bulk) v).data(), size, e));
                case Value.Sequence s -> s.items().forEach(item -> checkBulk(item, size));
                default -> {
                }
            }
        }
    }

    private static void checkInside(BulkData b, long size, Element e) {
        if (b.offset() < 0 || b.length() < 0 || b.offset() + b.length() > size) {
            throw new AssertionError("bulk value " + b + " of " + Tag.toString(e.tag()) + " outside a file of " + size);
        }
    }

    private static int depth(Attributes a) {
        int d = 0;
        for (Element e : a.elements()) {
            if (e.value() instanceof Value.Sequence s) {
                for (Attributes item : s.items()) {
                    d = Math.max(d, 1 + depth(item));
                }
            }
        }
        return d;
    }

    long tried() {
        return tried;
    }

    List<Finding> findings() {
        return findings;
    }

    /** Outcome shapes seen, each with the first input that produced it. */
    Map<String, byte[]> outcomes() {
        return outcomes;
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "reader-fuzz");
            t.setDaemon(true); // a hung input must not keep the test JVM alive
            return t;
        });
    }

    static byte[] mutate(byte[] in, Random r) {
        byte[] b = in.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && b.length > 8; e++) {
            int at = r.nextInt(b.length - 4);
            switch (r.nextInt(6)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 -> { // a length-looking run of 0xFF or a large number
                    b[at] = (byte) 0xFF;
                    b[at + 1] = (byte) 0xFF;
                    b[at + 2] = (byte) r.nextInt(256);
                    b[at + 3] = (byte) (r.nextBoolean() ? 0xFF : 0x7F);
                }
                case 2 -> b = Arrays.copyOf(b, at + 1); // truncate
                case 3 -> { // cut a run
                    int len = Math.min(b.length - at, 1 + r.nextInt(16));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    b = c;
                }
                case 4 -> { // duplicate a run
                    int len = Math.min(b.length - at, 1 + r.nextInt(32));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    b = c;
                }
                default -> { // item and delimiter tags in odd places
                    byte[] t = {(byte) 0xFE, (byte) 0xFF, (byte) (r.nextBoolean() ? 0x00 : 0xDD), (byte) 0xE0};
                    System.arraycopy(t, 0, b, at, 4);
                }
            }
        }
        return b;
    }
}
