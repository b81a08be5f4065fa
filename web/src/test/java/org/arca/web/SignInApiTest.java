package org.arca.web;

import static org.arca.web.HttpTestClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.arca.core.ManualClock;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.Role;
import org.arca.core.accounts.LoginThrottle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Signing in and changing passwords over HTTP as an attacker and an owner on two addresses would, with a clock
 * the test moves. Both come over loopback: 127.0.0.1 is the attacker, 127.0.0.2 the owner.
 */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class SignInApiTest {

    @Parameter
    TestDatabases.Kind kind;

    static ManualClock clock;
    static TestServer server;

    @BeforeParameterizedClassInvocation
    static void start(TestDatabases.Kind kind) {
        clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        server = new TestServer(kind, c -> c.withClock(clock));
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    @Test
    void guessesFromOneAddressNeverLockTheOwnerOutOnAnother() {
        server.user("chief", Role.ADMIN);
        HttpTestClient attacker = new HttpTestClient(server.base()).from("127.0.0.1");
        String guess = "{\"login\":\"chief\",\"password\":\"not the password\"}";
        for (int free = 0; free < LoginThrottle.Policy.defaults().sourceFailuresBeforeDelay(); free++) {
            assertThat(attacker.post("/api/v1/auth/login", guess).status()).isEqualTo(401);
        }
        for (int failure = 0; failure < 8; failure++) {
            assertThat(attacker.post("/api/v1/auth/login", guess).status()).isEqualTo(401);
            clock.advance(Duration.ofSeconds(1L << failure));
        }
        HttpTestClient.Response wrong = attacker.post("/api/v1/auth/login", guess);
        assertThat(wrong.status()).isEqualTo(401);
        HttpTestClient.Response refused = attacker.basic("chief", TestRepository.PASSWORD).get("/api/v1/users/me");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.error()).isEqualTo("too_many_attempts");
        assertThat(refused.header("Retry-After")).isEqualTo("256");
        assertThat(refused.json().get("message").asText()).contains("256 seconds");

        HttpTestClient owner = new HttpTestClient(server.base()).from("127.0.0.2");
        HttpTestClient.Response signedIn = owner.post("/api/v1/auth/login",
                "{\"login\":\"chief\",\"password\":" + q(TestRepository.PASSWORD) + "}");
        assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
        assertThat(owner.basic("chief", TestRepository.PASSWORD).get("/api/v1/users/me").status()).isEqualTo(200);
        clock.advance(Duration.ofHours(1));
    }

    @Test
    void anAdminChangesTheirOwnPasswordOnlyWithTheCurrentOne() {
        server.user("boss", Role.ADMIN);
        server.user("forgetful");
        HttpTestClient boss = server.as("boss");
        HttpTestClient.Response without = boss.put("/api/v1/users/boss/password", "{\"password\":\"taken over for good\"}");
        assertThat(without.status()).as(without.toString()).isEqualTo(400);
        HttpTestClient.Response wrong = boss.put("/api/v1/users/boss/password",
                "{\"password\":\"taken over for good\",\"currentPassword\":\"a guess\"}");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.error()).isEqualTo("wrong_current_password");
        clock.advance(Duration.ofHours(1));
        assertThat(boss.get("/api/v1/users/me").status()).as("the password is unchanged").isEqualTo(200);

        HttpTestClient.Response right = boss.put("/api/v1/users/boss/password",
                "{\"password\":\"boss's new password\",\"currentPassword\":" + q(TestRepository.PASSWORD) + "}");
        assertThat(right.status()).as(right.toString()).isEqualTo(204);
        HttpTestClient renewed = new HttpTestClient(server.base()).basic("boss", "boss's new password");
        assertThat(renewed.get("/api/v1/users/me").status()).isEqualTo(200);

        HttpTestClient.Response reset = renewed.put("/api/v1/users/forgetful/password", "{\"password\":\"a fresh start\"}");
        assertThat(reset.status()).as("an admin sets another account's password without theirs").isEqualTo(204);
        assertThat(new HttpTestClient(server.base()).basic("forgetful", "a fresh start").get("/api/v1/users/me").status())
                .isEqualTo(200);
        assertThat(renewed.get("/api/v1/audit?action=user.password&resource=forgetful").json().findValuesAsText("detail"))
                .containsExactly("reset by admin");
    }
}
