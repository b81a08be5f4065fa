package org.arca.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one way into the repository: every upload, from every surface, passes these steps in order before the rows
 * that name it are written (see {@link IngestStep}). Plugins add their steps when they are installed, before the
 * repository takes uploads. With no steps, an upload is stored as sent.
 */
public final class Ingest {

    private record Named(String name, IngestStep step) {
    }

    /**
     * An upload the steps let through: as they left it, and which of them put other bytes in its place. Only
     * {@link #admit} makes one, so holding one proves the steps ran.
     */
    public static final class Admitted {
        private final Arrival arrival;
        private final List<String> rewrittenBy;

        private Admitted(Arrival arrival, List<String> rewrittenBy) {
            this.arrival = arrival;
            this.rewrittenBy = List.copyOf(rewrittenBy);
        }

        public Arrival arrival() {
            return arrival;
        }

        public List<String> rewrittenBy() {
            return rewrittenBy;
        }
    }

    private final List<Named> steps = new CopyOnWriteArrayList<>();

    /** Adds a step after those already there; {@code name} says in audit entries which step rewrote an upload. */
    public void addStep(String name, IngestStep step) {
        steps.add(new Named(name, step));
    }

    /** The step names in the order uploads pass them. */
    public List<String> stepNames() {
        return steps.stream().map(Named::name).toList();
    }

    /**
     * Runs the steps over one upload. A refusal ends it as an {@link ArcaException} of kind
     * {@link ArcaException.Kind#REFUSED} carrying the step's reasons.
     */
    Admitted admit(Arrival arrival) {
        Arrival current = arrival;
        List<String> rewrittenBy = new ArrayList<>();
        for (Named named : steps) {
            switch (named.step().examine(current)) {
                case IngestStep.Accept accept -> current = current.learnt(accept.learnt());
                case IngestStep.Rewrite rewrite -> {
                    current = current.rewritten(rewrite.blob(), rewrite.mediaType(), rewrite.facts());
                    rewrittenBy.add(named.name());
                }
                case IngestStep.Refuse refuse -> throw ArcaException.refused(refuse.message(), refuse.reasons());
            }
        }
        return new Admitted(current, rewrittenBy);
    }
}
