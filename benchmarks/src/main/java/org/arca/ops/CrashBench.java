package org.arca.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code arca bench crash}: {@link CrashRounds} repeated, printing per round and surface how many acknowledged
 * uploads were present after the restart. Exit code 1 when anything acknowledged was lost or damaged.
 */
@Command(name = "crash", description = "Kill a real server (SIGKILL) under REST, tus, STOW-RS and SFTP uploads; "
        + "restart; compare what was acknowledged with what is present.")
final class CrashBench implements Callable<Integer> {

    @Option(names = "--dir", description = "Scratch folder (default: a temporary folder)")
    Path dir;
    @Option(names = "--rounds", defaultValue = "5", description = "Kills, each followed by a restart and a check")
    int rounds;
    @Option(names = "--max-ms", defaultValue = "5000",
            description = "Longest wait before a kill, once every surface has had an upload acknowledged")
    int maxMillis;
    @Option(names = "--pg-url", description = "Run on this PostgreSQL JDBC URL (an empty database) instead of embedded H2")
    String pgUrl;
    @Option(names = "--seed", defaultValue = "1", description = "Seed for upload sizes and kill moments")
    long seed;

    @Override
    public Integer call() throws Exception {
        Path scratch = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("arca-crash-");
        List<CrashRounds.Round> results = new CrashRounds(scratch.resolve("data"), pgUrl, System.out)
                .run(rounds, seed, maxMillis);
        long problems = results.stream().mapToLong(r -> r.problems().size()).sum();
        int acknowledged = results.stream().flatMap(r -> r.acknowledgedAndPresent().values().stream())
                .mapToInt(c -> c[0]).sum();
        int present = results.stream().flatMap(r -> r.acknowledgedAndPresent().values().stream())
                .mapToInt(c -> c[1]).sum();
        System.out.printf("%d rounds: %d of %d acknowledged uploads present after the restarts; %d problem(s); data in %s%n",
                rounds, present, acknowledged, problems, scratch);
        return problems == 0 ? 0 : 1;
    }
}
