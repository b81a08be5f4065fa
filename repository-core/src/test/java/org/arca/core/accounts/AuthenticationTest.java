package org.arca.core.accounts;

import static org.arca.core.ArcaErrors.assertArcaError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.arca.core.ArcaException;
import org.arca.core.ManualClock;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.Caller;
import org.arca.core.accounts.Accounts;
import org.arca.core.accounts.ApiToken;
import org.arca.core.accounts.Authentication;
import org.arca.core.accounts.LoginThrottle;
import org.arca.core.accounts.Site;
import org.arca.core.accounts.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticationTest {

    ManualClock clock;
    TestRepository test;
    Authentication auth;
    Accounts accounts;

    @BeforeAll
    void open() {
        clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        test = new TestRepository(TestDatabases.Kind.H2, c -> c.withClock(clock));
        auth = test.repo().authentication();
        accounts = test.repo().accounts();
    }

    @AfterAll
    void close() {
        test.close();
    }

    @Test
    void registrationWaitsForApproval() {
        Site site = accounts.createSite(Caller.SYSTEM, "Hospital A", "HOSP-A-2026");
        User pending = accounts.register("newcomer", "a long password", "n@example.org", "New Comer", "HOSP-A-2026");
        assertThat(pending.status()).isEqualTo(User.Status.PENDING);
        assertThat(pending.siteId()).isEqualTo(site.id());
        assertArcaError(() -> auth.password("newcomer", "a long password"), "account_pending");
        assertArcaError(() -> accounts.register("other", "a long password", "o@example.org", null, "WRONG"), "unknown_site_code");

        accounts.approve(Caller.SYSTEM, "newcomer");
        assertThat(auth.password("newcomer", "a long password").login()).isEqualTo("newcomer");
    }

    @Test
    void everyRevocationMovesTheCredentialsVersionAndANewPasswordItsStamp() {
        Caller owner = test.user("revoked");
        String stamp = auth.passwordStamp("revoked").orElseThrow();
        var token = auth.createToken(owner, "t", null);
        var key = test.repo().publicKeys().add(owner, "k", "ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIrevoked", "SHA256:revoked");
        long version = auth.credentialsVersion();
        auth.revokeToken(owner, token.value().id());
        assertThat(auth.credentialsVersion()).isGreaterThan(version);
        version = auth.credentialsVersion();
        test.repo().publicKeys().delete(owner, key.id());
        assertThat(auth.credentialsVersion()).isGreaterThan(version);
        version = auth.credentialsVersion();
        accounts.setPassword(owner, "revoked", "another long password");
        assertThat(auth.credentialsVersion()).isGreaterThan(version);
        assertThat(auth.passwordStamp("revoked")).isPresent().get().isNotEqualTo(stamp);
        version = auth.credentialsVersion();
        accounts.setStatus(Caller.SYSTEM, "revoked", User.Status.DISABLED);
        assertThat(auth.credentialsVersion()).isGreaterThan(version);
        assertThat(auth.passwordStamp("nobody")).isEmpty();
    }

    @Test
    void tokensWorkUntilRevokedOrExpired() {
        Caller owner = test.user("tokens");
        Authentication.Issued<ApiToken> token = auth.createToken(owner, "script", null);
        assertThat(auth.token(token.secret()).login()).isEqualTo("tokens");
        assertThat(auth.tokens(owner)).extracting(ApiToken::name).containsExactly("script");

        auth.revokeToken(owner, token.value().id());
        assertArcaError(() -> auth.token(token.secret()), ArcaException.Kind.UNAUTHORIZED);

        Authentication.Issued<ApiToken> brief = auth.createToken(owner, "brief", Duration.ofMillis(50));
        assertThat(auth.token(brief.secret()).login()).isEqualTo("tokens");
        clock.advance(Duration.ofMillis(50));
        assertThatThrownBy(() -> auth.token(brief.secret())).hasMessageContaining("expired");
    }

    @Test
    void disablingEndsSessionsAndPasswordSignIn() {
        test.user("leaver");
        Authentication.Issued<Caller> session = auth.login("leaver", TestRepository.PASSWORD, LoginThrottle.LOCAL);
        assertThat(auth.session(session.secret())).isPresent();
        accounts.setStatus(Caller.SYSTEM, "leaver", User.Status.DISABLED);
        assertThat(auth.session(session.secret())).isEmpty();
        assertArcaError(() -> auth.password("leaver", TestRepository.PASSWORD), "account_disabled");
    }

    @Test
    void onlyAdminsManageAccounts() {
        Caller plain = test.user("plain");
        assertArcaError(() -> accounts.create(plain, new Accounts.NewUser("x1", "a long password", "x@e.org", null, null, Set.of())),
                ArcaException.Kind.FORBIDDEN);
        assertArcaError(() -> accounts.create(Caller.SYSTEM, new Accounts.NewUser("plain", "a long password", "x@e.org", null, null, Set.of())),
                "login_taken");
        assertArcaError(() -> accounts.create(Caller.SYSTEM, new Accounts.NewUser("short", "short", "x@e.org", null, null, Set.of())),
                "weak_password");
    }
}
