package org.arca.core.accounts;

import static org.arca.core.ArcaErrors.assertArcaError;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.arca.core.ArcaException;
import org.arca.core.ManualClock;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.Role;
import org.arca.core.accounts.Authentication;
import org.arca.core.accounts.LoginThrottle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Password sign-in under guessing, through {@link Authentication}, with a clock the test moves. */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class LoginThrottleTest {

    private static final String ATTACKER = "203.0.113.9";
    private static final String OWNER = "198.51.100.7";
    /** Failures per source that cost no wait: a typo's worth. */
    private static final int FREE = LoginThrottle.Policy.defaults().sourceFailuresBeforeDelay();

    @Parameter
    TestDatabases.Kind kind;

    static ManualClock clock;
    static TestRepository test;
    static Authentication auth;

    @BeforeParameterizedClassInvocation
    static void open(TestDatabases.Kind kind) {
        clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        test = new TestRepository(kind, c -> c.withClock(clock));
        auth = test.repo().authentication();
    }

    @AfterParameterizedClassInvocation
    static void close() {
        test.close();
    }

    @Test
    void anotherSourcesGuessesNeverLockTheOwnerOut() {
        test.user("victim", Role.ADMIN);
        freeFailures("victim", ATTACKER);
        for (int failure = 0; failure < 8; failure++) {
            guessWrong("victim", ATTACKER);
            clock.advance(Duration.ofSeconds(throttled("victim", TestRepository.PASSWORD, ATTACKER)));
        }
        guessWrong("victim", ATTACKER);
        assertThat(throttled("victim", TestRepository.PASSWORD, ATTACKER)).isEqualTo(256);
        assertThat(auth.password("victim", TestRepository.PASSWORD, OWNER).login()).isEqualTo("victim");
        clock.advance(Duration.ofHours(1));
    }

    @Test
    void eachFailureDoublesTheWaitOfItsSourceUpToTheCap() {
        test.user("typist");
        freeFailures("typist", ATTACKER);
        long expected = 1;
        for (int failure = 1; failure <= 14; failure++) {
            guessWrong("typist", ATTACKER);
            long wait = throttled("typist", "any", ATTACKER);
            assertThat(wait).as("wait after failure %d", failure).isEqualTo(Math.min(expected, 15 * 60));
            // A try during the wait is refused unchecked: it does not make the wait longer.
            assertThat(throttled("typist", "wrong again", ATTACKER)).isEqualTo(wait);
            clock.advance(Duration.ofSeconds(wait - 1));
            assertThat(throttled("typist", "any", ATTACKER)).isEqualTo(1);
            clock.advance(Duration.ofSeconds(1));
            expected *= 2;
        }
        assertThat(auth.password("typist", TestRepository.PASSWORD, ATTACKER).login()).isEqualTo("typist");
        freeFailures("typist", ATTACKER);
        guessWrong("typist", ATTACKER);
        assertThat(throttled("typist", "any", ATTACKER)).as("a success starts the count again").isEqualTo(1);
        clock.advance(Duration.ofHours(1));
    }

    @Test
    void guessesFromManySourcesSlowTheLoginBrieflyWithoutLockingIt() {
        test.user("popular");
        for (int source = 0; source < 20; source++) {
            guessWrong("popular", "10.0.0." + source);
        }
        guessWrong("popular", "10.0.1.0");
        long wait = throttled("popular", TestRepository.PASSWORD, OWNER);
        assertThat(wait).as("past twenty failures from anywhere, everyone waits a little").isEqualTo(1);
        for (int source = 1; source <= 60; source++) {
            clock.advance(Duration.ofSeconds(wait));
            guessWrong("popular", "10.0.1." + source);
            wait = throttled("popular", TestRepository.PASSWORD, OWNER);
            assertThat(wait).isBetween(1L, 30L);
        }
        assertThat(wait).isEqualTo(30);
        clock.advance(Duration.ofSeconds(wait));
        assertThat(auth.password("popular", TestRepository.PASSWORD, OWNER).login()).isEqualTo("popular");
        clock.advance(Duration.ofHours(1));
    }

    @Test
    void unknownLoginsAreCountedTheSameWay() {
        freeFailures("nobody-here", ATTACKER);
        guessWrong("nobody-here", ATTACKER);
        assertThat(throttled("nobody-here", "any", ATTACKER)).isEqualTo(1);
        clock.advance(Duration.ofHours(1));
    }

    @Test
    void aFewMistypedPasswordsCostTheOwnerNoWait() {
        test.user("hasty");
        for (int failure = 0; failure < FREE; failure++) {
            guessWrong("hasty", OWNER);
        }
        assertThat(auth.password("hasty", TestRepository.PASSWORD, OWNER).login()).isEqualTo("hasty");
        clock.advance(Duration.ofHours(1));
    }

    /** The failures a source makes before any wait, each answered as a plain wrong password. */
    private static void freeFailures(String login, String source) {
        for (int failure = 0; failure < FREE; failure++) {
            guessWrong(login, source);
        }
    }

    private static void guessWrong(String login, String source) {
        assertArcaError(() -> auth.password(login, "not the password", source), ArcaException.Kind.UNAUTHORIZED);
    }

    /** The seconds the refusal says to wait; fails unless the sign-in is refused as throttled. */
    private static long throttled(String login, String password, String source) {
        ArcaException refusal = assertArcaError(() -> auth.password(login, password, source), ArcaException.Kind.THROTTLED);
        long seconds = refusal.retryAfter().orElseThrow().toSeconds();
        assertThat(refusal.getMessage()).contains("in " + seconds + " seconds");
        return seconds;
    }
}
