package org.arca.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How Arca starts the helper processes that touch untrusted bytes (Tika and preview workers, LibreOffice, AI
 * workers). A helper taken over by a crafted file must find nothing worth taking and nowhere to send it:
 * <ul>
 *   <li>no network: its only interface is a loopback that is down;</li>
 *   <li>none of the server's files: the data folder (database, blobs, search index, host key) and {@code /run}
 *       (where PostgreSQL's socket lives) are covered by empty file systems; the helper sees its job folder,
 *       writable, and the files it was given, read-only, inside that folder;</li>
 *   <li>none of the server's processes: it has a process-id namespace of its own, so {@code /proc} shows only
 *       itself and its children, never the server's environment or {@code /proc/<server>/root};</li>
 *   <li>none of the server's environment: {@code ARCA_DB_PASSWORD} and friends are replaced by a few harmless
 *       variables.</li>
 * </ul>
 *
 * <p>All of it is util-linux {@code unshare --user --map-root-user --net --mount --pid}: an unprivileged user
 * namespace, so no root is needed, holding the others; a short {@code sh} script inside makes the mounts and
 * then becomes the helper. Whether the kernel allows it is tried once per sandbox; where mounts are refused the
 * helper keeps the network isolation alone, where that is refused too it runs as given, and the server says
 * which once. Given files then appear in the job folder as symbolic links.
 */
public final class Sandbox {
    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
    private static final Path UNSHARE = Path.of("/usr/bin/unshare");
    private static final List<String> NO_NETWORK = List.of(UNSHARE.toString(), "--user", "--map-root-user", "--net", "--");
    private static final List<String> ISOLATED = List.of(UNSHARE.toString(), "--user", "--map-root-user", "--net",
            "--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "--", "/bin/sh", "-c");
    /*
     * $1 is the job folder, then pairs of (file, name in the job folder) up to "--hide", then the folders to
     * cover up to "--", then the command. The given files are bound while their folders are still visible; the
     * job folder is bound back at its own path last, because it often lies inside a covered folder (the data
     * folder's work/): "." still names it after the covering, as the shell is already in it.
     */
    private static final String SCRIPT = """
            set -e
            job=$1; shift; cd "$job"
            while [ "$1" != --hide ]; do : > "$2"; mount --bind -o ro "$1" "$2"; shift 2; done; shift
            while [ "$1" != -- ]; do mount -t tmpfs -o mode=0755,size=64k arca-hidden "$1"; shift; done; shift
            mkdir -p "$job"; mount --no-canonicalize --rbind . "$job"; cd "$job"
            exec "$@"
            """;

    /** What this machine lets a sandbox do, from most to least isolated. */
    public enum Isolation { FULL, NETWORK_ONLY, NONE }

    private static volatile Boolean networkWorks;

    private final List<Path> hidden;
    private volatile Isolation isolation;

    private Sandbox(List<Path> hidden) {
        this.hidden = hidden.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
    }

    /** A sandbox whose helpers cannot see {@code folders} (nor {@code /run}): the server passes its data folder. */
    public static Sandbox hiding(List<Path> folders) {
        List<Path> all = new ArrayList<>(folders);
        all.add(Path.of("/run"));
        return new Sandbox(all);
    }

    /** The folders covered, as absolute paths. */
    public List<Path> hidden() {
        return hidden;
    }

    /**
     * A process builder for {@code command}, run in {@code job} (its working folder, {@code $HOME} and
     * {@code $TMPDIR}) with the isolation this machine allows. {@code inputs} maps a plain file name to a file
     * the helper may read: it appears under that name in {@code job}, read-only; the command should name it
     * there ({@code job.resolve(name)}), never at its own path, which the helper may not see.
     */
    public ProcessBuilder command(Path job, Map<String, Path> inputs, List<String> command) throws IOException {
        Path dir = job.toAbsolutePath().normalize();
        for (String name : inputs.keySet()) {
            if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("not a plain file name: " + name);
            }
        }
        List<String> full = new ArrayList<>();
        switch (isolation()) {
            case FULL -> {
                full.addAll(ISOLATED);
                full.add(SCRIPT);
                full.add("arca-sandbox");
                full.add(dir.toString());
                inputs.forEach((name, file) -> {
                    full.add(file.toAbsolutePath().toString());
                    full.add(name);
                });
                full.add("--hide");
                hidden.stream().filter(Files::isDirectory).filter(h -> !h.equals(dir)).map(Path::toString).forEach(full::add);
                full.add("--");
            }
            case NETWORK_ONLY -> {
                linkInputs(dir, inputs);
                full.addAll(NO_NETWORK);
            }
            case NONE -> linkInputs(dir, inputs);
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(dir.toFile());
        return cleanEnvironment(builder, dir);
    }

    /** How isolated this sandbox's helpers are here: tried once, with a no-op, then remembered. */
    public Isolation isolation() {
        Isolation known = isolation;
        if (known == null) {
            synchronized (this) {
                if (isolation == null) {
                    isolation = probe();
                }
                known = isolation;
            }
        }
        return known;
    }

    /** Whether this machine lets an unprivileged process have a network namespace: tried once, with a no-op. */
    public static boolean networkIsolationWorks() {
        Boolean known = networkWorks;
        if (known == null) {
            synchronized (Sandbox.class) {
                if (networkWorks == null) {
                    List<String> probe = new ArrayList<>(NO_NETWORK);
                    probe.add("/bin/true");
                    networkWorks = Files.isExecutable(UNSHARE) && succeeds(new ProcessBuilder(probe));
                }
                known = networkWorks;
            }
        }
        return known;
    }

    /** Replaces the environment the process would inherit with {@code PATH}, {@code LANG} and {@code HOME}/{@code TMPDIR}. */
    public static ProcessBuilder cleanEnvironment(ProcessBuilder builder, Path home) {
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "C.UTF-8");
        env.put("HOME", home.toString());
        env.put("TMPDIR", home.toString());
        return builder;
    }

    /** Without mounts of its own the helper sees the server's files anyway, so a link is as good as a copy. */
    private static void linkInputs(Path job, Map<String, Path> inputs) throws IOException {
        for (Map.Entry<String, Path> input : inputs.entrySet()) {
            Path link = job.resolve(input.getKey());
            Files.deleteIfExists(link);
            try {
                Files.createSymbolicLink(link, input.getValue().toAbsolutePath());
            } catch (UnsupportedOperationException e) {
                Files.copy(input.getValue(), link);
            }
        }
    }

    /**
     * Runs the whole script once, the way helpers will: a file bound from the first covered folder into a job
     * folder inside it, so that a file system refusing such mounts (say, one mounted nodev) is found now.
     */
    private Isolation probe() {
        if (!networkIsolationWorks()) {
            LOG.warn("unprivileged namespaces are not available here ({}): helper processes keep the server's network, "
                    + "files and processes in view", UNSHARE);
            return Isolation.NONE;
        }
        Path base = hidden.stream().filter(Files::isDirectory).findFirst().orElse(Path.of(System.getProperty("java.io.tmpdir")));
        Path job = null;
        Path input = null;
        try {
            job = Files.createTempDirectory(base, "sandbox-probe-");
            input = Files.writeString(Files.createTempFile(base, "sandbox-probe-", ".txt"), "probe\n");
            Sandbox trial = new Sandbox(hidden);
            trial.isolation = Isolation.FULL;
            ProcessBuilder builder = trial.command(job, Map.of("input", input),
                    List.of("/bin/sh", "-c", "read line < input && [ \"$line\" = probe ] && : > made"));
            if (succeeds(builder) && Files.exists(job.resolve("made"))) {
                return Isolation.FULL;
            }
        } catch (IOException e) {
            // said below
        } finally {
            deleteQuietly(job == null ? null : job.resolve("made"));
            deleteQuietly(job == null ? null : job.resolve("input"));
            deleteQuietly(job);
            deleteQuietly(input);
        }
        LOG.warn("this machine refuses unprivileged mount and process namespaces: helper processes run without the "
                + "network but can read the server's files");
        return Isolation.NETWORK_ONLY;
    }

    private static boolean succeeds(ProcessBuilder builder) {
        try {
            Process p = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return true;
            }
            p.destroyForcibly();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static void deleteQuietly(Path path) {
        try {
            if (path != null) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a probe's leftover in the data folder's temporary files; harmless
        }
    }
}
