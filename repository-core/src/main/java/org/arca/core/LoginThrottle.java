package org.arca.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing per login, on every surface that takes a password: after {@code maxFailures}
 * failures in a row the login is refused for {@code lockout}, even with the right password, and each
 * further failure restarts the wait. Unknown logins are counted the same way so the answer tells nothing.
 */
public final class LoginThrottle {

    private record State(int failures, Instant lockedUntil) {
    }

    private final int maxFailures;
    private final Duration lockout;
    private final Clock clock;
    private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();

    public LoginThrottle(int maxFailures, Duration lockout, Clock clock) {
        this.maxFailures = maxFailures;
        this.lockout = lockout;
        this.clock = clock;
    }

    /** Throws {@link ArcaException.Kind#THROTTLED} while the login is locked out. */
    void check(String login) {
        State state = states.get(key(login));
        if (state != null && state.lockedUntil() != null && clock.instant().isBefore(state.lockedUntil())) {
            long seconds = Math.max(1, Duration.between(clock.instant(), state.lockedUntil()).toSeconds());
            throw new ArcaException(ArcaException.Kind.THROTTLED, "too_many_attempts",
                    "Too many failed sign-ins for this account; try again in " + seconds + " seconds.");
        }
    }

    void failed(String login) {
        states.compute(key(login), (k, old) -> {
            int failures = old == null ? 1 : old.failures() + 1;
            Instant until = failures >= maxFailures ? clock.instant().plus(lockout) : null;
            return new State(failures, until);
        });
    }

    void succeeded(String login) {
        states.remove(key(login));
    }

    private static String key(String login) {
        return login == null ? "" : login.toLowerCase(Locale.ROOT);
    }
}
