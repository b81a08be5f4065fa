package org.arca.ai.worker;

import java.util.Arrays;
import java.util.Optional;

/**
 * A line the worker writes on its standard output, one for each thing the server learns from it while it runs:
 * {@code loaded <ms>}, {@code progress <done> <total>}, {@code inference <ms>}, {@code input <ms>},
 * {@code output <ms>}, {@code done}. Any other line is the worker's log. Why a worker failed goes to its standard
 * error instead, as {@link #FAILED} and the reason.
 */
public sealed interface WorkerReport {
    /** How the line on standard error that says why a worker failed begins. */
    String FAILED = "worker failed: ";

    /** The line as the worker writes it, without its line end. */
    String line();

    /** The report {@code line} holds; empty for a line of the worker's log. */
    static Optional<WorkerReport> parse(String line) {
        String[] parts = line.split(" ");
        try {
            if (parts.length == 3 && parts[0].equals(Progress.WORD)) {
                return Optional.of(new Progress(Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
            }
            if (parts.length == 1 && parts[0].equals(Done.WORD)) {
                return Optional.of(new Done());
            }
            if (parts.length == 2) {
                long millis = Long.parseLong(parts[1]);
                return Step.named(parts[0]).map(step -> new Took(step, millis));
            }
        } catch (NumberFormatException e) {
            // Not a report: a log line that happens to begin with a report's word.
        }
        return Optional.empty();
    }

    /** What a {@link Took} timed. */
    enum Step {
        /** Loading the graph. */
        LOADED("loaded"),
        /** Running the graph, over all frames. */
        INFERENCE("inference"),
        /** Inference waiting for its next tensor: read, converted and copied on a thread of their own. */
        INPUT("input"),
        /** Inference waiting to hand a result on: labelled and written on another. */
        OUTPUT("output");

        private final String word;

        Step(String word) {
            this.word = word;
        }

        static Optional<Step> named(String word) {
            return Arrays.stream(values()).filter(s -> s.word.equals(word)).findFirst();
        }
    }

    /** Milliseconds a step took. */
    record Took(Step step, long millis) implements WorkerReport {
        @Override
        public String line() {
            return step.word + " " + millis;
        }
    }

    /**
     * {@code done} of {@code total} results are in {@code output.bin}: each is complete on disk before its line,
     * so the server reads it as soon as it sees the line.
     */
    record Progress(int done, int total) implements WorkerReport {
        private static final String WORD = "progress";

        @Override
        public String line() {
            return WORD + " " + done + " " + total;
        }
    }

    /** The worker ran every frame and is about to exit. */
    record Done() implements WorkerReport {
        private static final String WORD = "done";

        @Override
        public String line() {
            return WORD;
        }
    }
}
