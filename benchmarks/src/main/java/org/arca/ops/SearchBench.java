package org.arca.ops;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.arca.core.Folder;
import org.arca.core.MetadataStore;
import org.arca.core.Repository;
import org.arca.core.RepositoryConfig;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.AclEntry;
import org.arca.core.access.Caller;
import org.arca.core.accounts.Accounts;
import org.arca.core.blob.BlobStore;
import org.arca.core.search.SearchQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arca bench search}: synthetic items with metadata and about 1 KB of text each (given by a
 * contributor, as extraction would), then a full rebuild of the search index (documents per second), then
 * query latency for a user whose access comes from many folder grants, against an admin running the same
 * queries without an access filter in the same run. Prints, never asserts.
 */
@Command(name = "search", description = "Benchmark search indexing and queries with ACL filtering.")
final class SearchBench implements Callable<Integer> {

    @Option(names = "--dir", description = "Scratch folder (default: a temporary folder)")
    Path dir;
    @Option(names = "--items", defaultValue = "20000", description = "Synthetic items")
    int items;
    @Option(names = "--grants", defaultValue = "1000", description = "Folders, each granted to the benchmark user")
    int grants;
    @Option(names = "--queries", defaultValue = "500", description = "Queries timed per caller")
    int queries;
    @Option(names = "--keep", description = "Keep the seeded and indexed data in --dir, and on a later run with the same --dir,"
            + " --items and --grants skip straight to the queries (to compare builds on the same 1,000,000 documents)")
    boolean keep;
    @Option(names = "--seed", defaultValue = "core", description = "How items are made: core (through the item and metadata "
            + "services, indexed live, as uploads are) or sql (rows written in batches, for 100,000s of items; only the "
            + "rebuild indexes them)")
    String seed;

    private static final String[] WORDS = ("liver lesion contrast baseline follow-up fibrosis hepatic renal cardiac tumour "
            + "margin dose protocol consent visit adverse event placebo randomised cohort biopsy ultrasound enhancement nodule "
            + "volume diameter segment artery vein score grade stage response progression stable partial complete").split(" ");

    @Override
    public Integer call() throws Exception {
        if (keep && dir == null) {
            throw new IllegalArgumentException("--keep needs --dir");
        }
        Path scratch = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("arca-search-bench-");
        Path ready = scratch.resolve("search-bench.ready");
        String dataset = "items=" + items + " grants=" + grants + " seed=" + seed;
        boolean reuse = keep && Files.exists(ready) && Files.readString(ready).equals(dataset);
        try (Repository repo = Repository.open(RepositoryConfig.defaults(scratch))) {
            repo.searchIndex().addContributor((file, fields) -> fields.text(text(file.name().hashCode())));
            Caller admin = Caller.SYSTEM;
            if (reuse) {
                // A build with another index layout rebuilds the index on open; the queries wait for it.
                long opened = System.nanoTime();
                repo.searchIndex().awaitQueued();
                System.out.printf(Locale.ROOT, "reusing %s in %s: %d documents, ready %.1f s after opening%n", dataset,
                        scratch, repo.searchIndex().documentCount(), (System.nanoTime() - opened) / 1e9);
                runQueries(repo, admin, repo.authentication().password("reader", "bench reader password"));
                return 0;
            }
            repo.accounts().create(Caller.SYSTEM, new Accounts.NewUser("reader", "bench reader password", "r@example.org",
                    "Reader", null, Set.of()));
            Caller reader = repo.authentication().password("reader", "bench reader password");
            Folder collection = repo.folders().createCollection(admin, "Bench", null);
            List<Folder> folders = new ArrayList<>();
            for (int i = 0; i < grants; i++) {
                Folder f = repo.folders().create(admin, collection.id(), "site-" + i, null);
                repo.access().setAcl(admin, f.id(), List.of(new AclEntry("user:reader", AccessLevel.READ)));
                folders.add(f);
            }
            // Half the folders hold items; the other half is granted but empty, as real grant lists are.
            Folder hidden = repo.folders().create(admin, collection.id(), "not shared", null);
            byte[] bytes = "synthetic".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            BlobStore.Blob blob = repo.blobs().write(new ByteArrayInputStream(bytes), bytes.length, bytes.length);
            long start = System.nanoTime();
            java.util.function.IntFunction<Folder> folderOf = i -> i % 10 == 0 ? hidden : folders.get(i % Math.max(1, grants / 2));
            if (seed.equals("sql")) {
                BulkItems.insert(repo, items, folderOf, blob);
            } else {
                for (int i = 0; i < items; i++) {
                    var item = repo.items().create(admin, folderOf.apply(i).id(), "record-" + i + ".txt", "text/plain", blob, false);
                    repo.metadata().put(admin, MetadataStore.Target.ITEM, item.id(), BulkItems.metadata(i));
                }
            }
            repo.searchIndex().awaitQueued();
            double createSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "created %d items with metadata %s in %.1f s (%.0f items/s%s)%n", items,
                    seed.equals("sql") ? "as rows in batches" : "through the core", createSeconds, items / createSeconds,
                    seed.equals("sql") ? ", not indexed until the rebuild" : ", indexed live");
            start = System.nanoTime();
            repo.searchIndex().rebuild();
            repo.searchIndex().awaitQueued();
            double rebuildSeconds = (System.nanoTime() - start) / 1e9;
            int docs = repo.searchIndex().documentCount();
            System.out.printf(Locale.ROOT, "rebuild: %d documents in %.1f s = %.0f documents/s%n", docs, rebuildSeconds, docs / rebuildSeconds);
            if (keep) {
                Files.writeString(ready, dataset);
            }
            runQueries(repo, admin, reader);
        } finally {
            if (!keep) {
                Bench.deleteTree(scratch);
            }
        }
        return 0;
    }

    /** The timed part: the same query mix as the admin (no access filter) and as the user with the grants. */
    private void runQueries(Repository repo, Caller admin, Caller reader) {
        SplittableRandom random = new SplittableRandom(7);
        List<SearchQuery> workload = new ArrayList<>();
        for (int i = 0; i < queries; i++) {
            String q = switch (i % 5) {
                case 0 -> WORDS[random.nextInt(WORDS.length)];
                case 1 -> term(random) + " " + term(random);
                case 2 -> term(random) + " OR " + WORDS[random.nextInt(WORDS.length)];
                case 3 -> "\"" + term(random) + " " + term(random) + "\"";
                default -> "meta.site:site-" + random.nextInt(40) + " AND " + term(random);
            };
            workload.add(new SearchQuery(q, List.of(), List.of(), List.of(), null, null, Map.of(), 20, 0));
        }
        for (SearchQuery q : workload.subList(0, Math.min(50, workload.size()))) {
            repo.search(reader, q); // warm up
            repo.search(admin, q);
        }
        double[] asAdmin = time(repo, admin, workload);
        double[] asReader = time(repo, reader, workload);
        report("admin (no access filter)", sorted(asAdmin), null);
        report("user with " + grants + " folder grants", sorted(asReader), sorted(asAdmin));
        // Where the tail comes from: the same user's timings by the shape of the query.
        for (int shape = 0; shape < SHAPES.length; shape++) {
            List<Double> ofShape = new ArrayList<>();
            for (int i = shape; i < asReader.length; i += SHAPES.length) {
                ofShape.add(asReader[i]);
            }
            double[] times = sorted(ofShape.stream().mapToDouble(Double::doubleValue).toArray());
            System.out.printf(Locale.ROOT, "  user, %-22s p50 %.1f ms, p95 %.1f ms%n", SHAPES[shape] + ":",
                    times[times.length / 2], times[(int) Math.ceil(times.length * 0.95) - 1]);
        }
    }

    /** The shapes of the query mix, in the order the workload cycles through them. */
    private static final String[] SHAPES = {"one common word", "two terms", "term OR word", "phrase", "metadata AND term"};

    /** Each query's time in milliseconds, in workload order. */
    private static double[] time(Repository repo, Caller caller, List<SearchQuery> workload) {
        double[] millis = new double[workload.size()];
        for (int i = 0; i < workload.size(); i++) {
            long t = System.nanoTime();
            repo.search(caller, workload.get(i));
            millis[i] = (System.nanoTime() - t) / 1e6;
        }
        return millis;
    }

    private static double[] sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    private static void report(String who, double[] sorted, double[] peer) {
        double p50 = sorted[sorted.length / 2];
        double p95 = sorted[(int) Math.ceil(sorted.length * 0.95) - 1];
        String ratio = peer == null ? "" : String.format(Locale.ROOT, "  (p95 %.2fx the admin's)", p95 / peer[(int) Math.ceil(peer.length * 0.95) - 1]);
        System.out.printf(Locale.ROOT, "queries as %s: p50 %.1f ms, p95 %.1f ms, max %.1f ms%s%n", who, p50, p95,
                sorted[sorted.length - 1], ratio);
    }

    /**
     * About 1 KB of words, the same for the same seed: mostly from a vocabulary of 20,000 made-up terms with a
     * skewed (roughly Zipf) frequency, as real text has, and a few domain words, so that queries select a
     * realistic share of the documents rather than all of them.
     */
    static String text(int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder text = new StringBuilder();
        while (text.length() < 1000) {
            if (random.nextInt(20) == 0) {
                text.append(WORDS[random.nextInt(WORDS.length)]);
            } else {
                text.append(term(random));
            }
            text.append(' ');
        }
        return text.toString();
    }

    /** A made-up term; low numbers are common, high ones rare. */
    static String term(SplittableRandom random) {
        int rank = (int) Math.floor(Math.pow(VOCABULARY, random.nextDouble()));
        return "t" + Integer.toString(rank, 36);
    }

    private static final int VOCABULARY = 20_000;
}
