package org.arca.ai;

import java.util.Locale;

/** A job's state; {@link #QUEUED} and {@link #RUNNING} are the live ones. */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static JobStatus parse(String stored) {
        return valueOf(stored.toUpperCase(Locale.ROOT));
    }

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
