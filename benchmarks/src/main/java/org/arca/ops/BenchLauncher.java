package org.arca.ops;

/**
 * The main class of {@code arca-bench.jar}: the {@code arca} command line with {@code bench} added. The product
 * never carries the benchmarks; this jar carries the product, so {@code java -jar arca-bench.jar serve} starts the
 * same server the benchmarks start and measure.
 */
public final class BenchLauncher {
    private BenchLauncher() {
    }

    public static void main(String[] args) {
        System.exit(Launcher.commandLine().addSubcommand(new Bench()).execute(args));
    }
}
