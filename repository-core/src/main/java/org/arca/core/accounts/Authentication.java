package org.arca.core.accounts;

import static org.arca.core.Database.instant;
import static org.arca.core.Database.stamp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.arca.core.ArcaException;
import org.arca.core.Database;
import org.arca.core.Ids;
import org.arca.core.Names;
import org.arca.core.Tables.SessionsT;
import org.arca.core.Tables.Tokens;
import org.arca.core.access.AccessControl;
import org.arca.core.access.Caller;
import org.arca.core.audit.AuditLog;
import org.jooq.Record;

/**
 * Turns credentials into a {@link Caller}: passwords (throttled per login and source), portal sessions and personal
 * API tokens. Secrets are stored only as SHA-256 hashes; passwords as Argon2id. Every surface (HTTP,
 * DICOMweb, SFTP) signs people in here, so the rules are the same everywhere.
 */
public final class Authentication {

    /** A new secret and what it stands for; the secret is shown once and never stored. */
    public record Issued<T>(String secret, T value) {
    }

    private static final String TOKEN_PREFIX = "arca_";
    private static final Duration VERIFIED_PASSWORD_TTL = Duration.ofMinutes(2);

    /** A login and password found good, the caller they stood for, and until when that may be believed. */
    private record Verified(Caller caller, Instant until) {
    }

    private final Database db;
    private final Accounts accounts;
    private final AuditLog audit;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final Duration sessionLifetime;
    private final Clock clock;
    /**
     * Argon2id costs tens of milliseconds by design; tools that send Basic credentials with every request
     * (DICOM viewers, scripts) would pay it each time. A short-lived memo of hash(login, password) avoids
     * that; it holds no password, and any change of credentials, status or membership clears it. It keeps the caller
     * the pair stood for, so such a request costs no query either (STOW-RS clients send an instance per request).
     */
    private final ConcurrentHashMap<String, Verified> verifiedPasswords = new ConcurrentHashMap<>();
    /** Moves on every change that may end a credential's validity ({@link #credentialsVersion}). */
    private final AtomicLong credentialsVersion = new AtomicLong();

    public Authentication(Database db, Accounts accounts, AuditLog audit, PasswordHasher hasher, LoginThrottle throttle,
                   Duration sessionLifetime, Clock clock) {
        this.db = db;
        this.accounts = accounts;
        this.audit = audit;
        this.hasher = hasher;
        this.throttle = throttle;
        this.sessionLifetime = sessionLifetime;
        this.clock = clock;
    }

    /**
     * Clears remembered password checks and moves {@link #credentialsVersion}; called after any password,
     * status, membership, token or key change commits.
     */
    public void credentialsChanged() {
        verifiedPasswords.clear();
        credentialsVersion.incrementAndGet();
    }

    /**
     * A counter that moves whenever a credential may have stopped being valid through this repository: a
     * password set, an account disabled, a membership changed, a token revoked, a public key removed. A surface
     * that holds a sign-in open (an SFTP session) re-checks its credential when this moved, instead of asking
     * the database on every request. Changes made by another process (a command-line tool on a shared
     * PostgreSQL database) do not move it, so such a surface also re-checks now and then.
     */
    public long credentialsVersion() {
        return credentialsVersion.get();
    }

    /**
     * An opaque stamp of the user's password as stored now, empty for an unknown login: a new password gives
     * a new stamp. A surface that signs someone in by password reads it first and keeps it, to tell later whether that
     * password still holds.
     */
    public Optional<String> passwordStamp(String login) {
        return accounts.byLogin(login).flatMap(u -> accounts.passwordHash(u.id())).map(Authentication::sha256Hex);
    }

    /** {@link #password(String, String, String)} for an in-process caller (command line, benches): no network peer. */
    public Caller password(String login, String password) {
        return password(login, password, LoginThrottle.LOCAL);
    }

    /**
     * Checks a login and password sent from {@code source} (the client's address). Throws UNAUTHORIZED for a
     * wrong pair (without saying which part was wrong), THROTTLED while that login must wait before trying from
     * there again ({@link LoginThrottle}), FORBIDDEN for pending or disabled accounts.
     */
    public Caller password(String login, String password, String source) {
        throttle.check(login, source);
        String memoKey = sha256Hex(login + "\u0000" + password);
        Verified memo = verifiedPasswords.get(memoKey);
        if (memo != null && clock.instant().isBefore(memo.until())) {
            throttle.succeeded(login, source);
            return memo.caller();
        }
        // Read before the account: a change committed after this point clears the memo, and the caller read here
        // is then not remembered (it may be what the change ended).
        long version = credentialsVersion.get();
        Optional<User> user = accounts.byLogin(login);
        boolean ok;
        if (user.isPresent()) {
            ok = hasher.matches(password, accounts.passwordHash(user.get().id()).orElse(null));
        } else {
            hasher.burn(password);
            ok = false;
        }
        if (!ok) {
            throttle.failed(login, source);
            throw ArcaException.unauthorized("The login or password is wrong.");
        }
        throttle.succeeded(login, source);
        requireActive(user.get());
        Caller caller = accounts.callerFor(user.get());
        verifiedPasswords.put(memoKey, new Verified(caller, clock.instant().plus(VERIFIED_PASSWORD_TTL)));
        if (credentialsVersion.get() != version) {
            verifiedPasswords.remove(memoKey);
        }
        return caller;
    }

    /** Signs in with a password sent from {@code source} (the client's address) and opens a portal session. */
    public Issued<Caller> login(String login, String password, String source) {
        Caller caller = password(login, password, source);
        String secret = Ids.newSecret();
        Instant now = clock.instant();
        db.inTransaction(tx -> {
            tx.insertInto(SessionsT.T).set(SessionsT.SECRET_HASH, sha256Hex(secret)).set(SessionsT.USER_ID, caller.userId())
                    .set(SessionsT.CREATED_AT, stamp(now)).set(SessionsT.EXPIRES_AT, stamp(now.plus(sessionLifetime)))
                    .execute();
            audit.append(tx, caller, "auth.login", "user", caller.login(), "");
            return null;
        });
        return new Issued<>(secret, caller);
    }

    public Optional<Caller> session(String secret) {
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        Record row = db.dsl().select(SessionsT.ALL).from(SessionsT.T).where(SessionsT.SECRET_HASH.eq(sha256Hex(secret))).fetchOne();
        if (row == null || !clock.instant().isBefore(instant(row.get(SessionsT.EXPIRES_AT)))) {
            return Optional.empty();
        }
        return activeCaller(row.get(SessionsT.USER_ID));
    }

    public void logout(String secret) {
        if (secret != null) {
            db.dsl().deleteFrom(SessionsT.T).where(SessionsT.SECRET_HASH.eq(sha256Hex(secret))).execute();
        }
    }

    /** Creates a personal token for the caller. {@code lifetime} null means it never expires. */
    public Issued<ApiToken> createToken(Caller caller, String name, Duration lifetime) {
        if (!caller.signedIn()) {
            throw ArcaException.unauthorized("Sign in to create a token.");
        }
        String tokenName = Names.requireText(name == null || name.isBlank() ? "token" : name, "name", 255);
        if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
            throw ArcaException.invalid("invalid_expiry", "A token's lifetime must be positive.");
        }
        String secret = Ids.newSecret();
        String id = Ids.newId();
        Instant now = clock.instant();
        db.inTransaction(tx -> {
            tx.insertInto(Tokens.T).set(Tokens.ID, id).set(Tokens.USER_ID, caller.userId()).set(Tokens.NAME, tokenName)
                    .set(Tokens.SECRET_HASH, sha256Hex(secret)).set(Tokens.CREATED_AT, stamp(now))
                    .set(Tokens.EXPIRES_AT, lifetime == null ? null : stamp(now.plus(lifetime)))
                    .execute();
            audit.append(tx, caller, "token.create", "token", id, "name=" + tokenName);
            return null;
        });
        return new Issued<>(TOKEN_PREFIX + secret, tokens(caller).stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow());
    }

    public List<ApiToken> tokens(Caller caller) {
        return db.dsl().select(Tokens.ALL).from(Tokens.T).where(Tokens.USER_ID.eq(caller.userId())).orderBy(Tokens.CREATED_AT.desc())
                .fetch(Authentication::token);
    }

    public void revokeToken(Caller caller, String tokenId) {
        Record row = db.dsl().select(Tokens.ALL).from(Tokens.T).where(Tokens.ID.eq(tokenId)).fetchOne();
        if (row == null) {
            throw ArcaException.notFound("The token");
        }
        AccessControl.requireOwnerOrAdmin(caller, row.get(Tokens.USER_ID), "The token");
        db.inTransaction(tx -> {
            tx.update(Tokens.T).set(Tokens.REVOKED_AT, stamp(clock.instant())).where(Tokens.ID.eq(tokenId))
                    .and(Tokens.REVOKED_AT.isNull()).execute();
            audit.append(tx, caller, "token.revoke", "token", tokenId, "");
            return null;
        });
        credentialsChanged();
    }

    /** True when the text looks like one of our tokens, so a surface can tell a token from a password. */
    public static boolean looksLikeToken(String text) {
        return text != null && text.startsWith(TOKEN_PREFIX) && text.length() > TOKEN_PREFIX.length() + 20;
    }

    /** Resolves a token; UNAUTHORIZED when it is unknown, expired or revoked. */
    public Caller token(String token) {
        if (!looksLikeToken(token)) {
            throw ArcaException.unauthorized("The API token is not valid.");
        }
        Record row = db.dsl().select(Tokens.ALL).from(Tokens.T)
                .where(Tokens.SECRET_HASH.eq(sha256Hex(token.substring(TOKEN_PREFIX.length())))).fetchOne();
        Instant now = clock.instant();
        if (row == null || row.get(Tokens.REVOKED_AT) != null) {
            throw ArcaException.unauthorized("The API token is not valid or was revoked.");
        }
        if (row.get(Tokens.EXPIRES_AT) != null && !now.isBefore(instant(row.get(Tokens.EXPIRES_AT)))) {
            throw ArcaException.unauthorized("The API token has expired.");
        }
        Instant lastUsed = instant(row.get(Tokens.LAST_USED_AT));
        if (lastUsed == null || lastUsed.isBefore(now.minus(Duration.ofMinutes(1)))) {
            db.dsl().update(Tokens.T).set(Tokens.LAST_USED_AT, stamp(now)).where(Tokens.ID.eq(row.get(Tokens.ID))).execute();
        }
        return activeCaller(row.get(Tokens.USER_ID))
                .orElseThrow(() -> ArcaException.unauthorized("The API token's account is not active."));
    }

    /**
     * The caller an active user acts as, for work done later on their behalf (an AI job): their groups and
     * roles as they are now, so a disabled account or a revoked grant stops the work.
     */
    public Optional<Caller> activeCaller(String userId) {
        return accounts.byId(userId).filter(u -> u.status() == User.Status.ACTIVE).map(accounts::callerFor);
    }

    private static void requireActive(User user) {
        switch (user.status()) {
            case ACTIVE -> { }
            case PENDING -> throw new ArcaException(ArcaException.Kind.FORBIDDEN, "account_pending",
                    "This account is waiting for an administrator's approval.");
            case DISABLED -> throw new ArcaException(ArcaException.Kind.FORBIDDEN, "account_disabled",
                    "This account is disabled.");
        }
    }

    private static ApiToken token(Record r) {
        return new ApiToken(r.get(Tokens.ID), r.get(Tokens.USER_ID), r.get(Tokens.NAME), instant(r.get(Tokens.CREATED_AT)),
                instant(r.get(Tokens.EXPIRES_AT)), instant(r.get(Tokens.REVOKED_AT)), instant(r.get(Tokens.LAST_USED_AT)));
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
