package org.arca.core.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import org.arca.core.ArcaException;

/**
 * Slows password guessing on every surface that takes a password, without letting anyone lock an owner out.
 * Failures are counted per login <em>and</em> source (the client's address): past the first few
 * ({@link Policy#sourceFailuresBeforeDelay}, so a mistyped password costs its owner nothing), each one makes that
 * pair wait twice as long as the last before its next try ({@link Policy#firstDelay} doubling up to
 * {@link Policy#maxSourceDelay}), so a guesser slows only themselves and the owner signing in from elsewhere
 * is not refused. A looser count per login across all sources slows guessing spread over many addresses:
 * past {@link Policy#loginFailuresBeforeDelay} it adds a short wait for everyone, capped at
 * {@link Policy#maxLoginDelay}, so never a hard lock-out. A try during a wait is refused unchecked and counts
 * nothing; a success clears the login's counts. Unknown logins are counted the same way, so the answer tells
 * nothing.
 *
 * <p>The counts live in this process's memory: one Arca process serves every surface today. Running several
 * behind one address would need them in the database, behind the same three methods. Thread-safe.
 */
public final class LoginThrottle {

    /** The delays; see the class comment. */
    public record Policy(int sourceFailuresBeforeDelay, Duration firstDelay, Duration maxSourceDelay,
                         int loginFailuresBeforeDelay, Duration maxLoginDelay, Duration forgetAfter) {

        /**
         * Three free failures per source, then 1 s, 2 s, 4 s ... up to 15 minutes; past 20 failures from anywhere,
         * up to 30 s per login.
         */
        public static Policy defaults() {
            return new Policy(3, Duration.ofSeconds(1), Duration.ofMinutes(15), 20, Duration.ofSeconds(30),
                    Duration.ofHours(1));
        }
    }

    /** The source of an in-process caller (command line, benches): no network peer to tell apart. */
    public static final String LOCAL = "local";

    private static final int PRUNE_ABOVE = 100_000;

    private record Count(int failures, Instant waitUntil, Instant lastFailure) {
    }

    private final Policy policy;
    private final Clock clock;
    private final ConcurrentHashMap<String, Count> bySource = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Count> byLogin = new ConcurrentHashMap<>();

    public LoginThrottle(Policy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** Throws {@link ArcaException.Kind#THROTTLED}, with the real wait, while this login may not try from there. */
    void check(String login, String source) {
        Instant now = clock.instant();
        Instant until = later(waitOf(bySource.get(pairKey(login, source))), waitOf(byLogin.get(loginKey(login))));
        if (until != null && now.isBefore(until)) {
            Duration wait = Duration.between(now, until);
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw ArcaException.throttled("too_many_attempts",
                    "Too many failed sign-ins for this account; try again in " + seconds + " seconds.", Duration.ofSeconds(seconds));
        }
    }

    void failed(String login, String source) {
        Instant now = clock.instant();
        bySource.compute(pairKey(login, source), (k, old) -> next(old, now, policy.sourceFailuresBeforeDelay(), policy.maxSourceDelay()));
        byLogin.compute(loginKey(login), (k, old) -> next(old, now, policy.loginFailuresBeforeDelay(), policy.maxLoginDelay()));
        if (bySource.size() > PRUNE_ABOVE || byLogin.size() > PRUNE_ABOVE) {
            prune(now);
        }
    }

    void succeeded(String login, String source) {
        bySource.remove(pairKey(login, source));
        byLogin.remove(loginKey(login));
    }

    /** One more failure: after {@code free} of them, a wait of firstDelay doubled for each further one, capped. */
    private Count next(Count old, Instant now, int free, Duration cap) {
        int failures = old == null || forgotten(old, now) ? 1 : old.failures() + 1;
        int over = failures - free;
        Instant until = null;
        if (over > 0) {
            Duration delay = policy.firstDelay().multipliedBy(1L << Math.min(over - 1, 30));
            until = now.plus(delay.compareTo(cap) > 0 ? cap : delay);
        }
        return new Count(failures, until, now);
    }

    private boolean forgotten(Count count, Instant now) {
        return count.lastFailure().plus(policy.forgetAfter()).isBefore(now);
    }

    /** Bounds the memory a guesser trying many logins from many addresses can take. */
    private void prune(Instant now) {
        bySource.values().removeIf(c -> forgotten(c, now));
        byLogin.values().removeIf(c -> forgotten(c, now));
    }

    private static Instant waitOf(Count count) {
        return count == null ? null : count.waitUntil();
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static String loginKey(String login) {
        return login == null ? "" : login.toLowerCase(Locale.ROOT);
    }

    private static String pairKey(String login, String source) {
        return loginKey(login) + "\u0000" + (source == null ? "" : source);
    }
}
