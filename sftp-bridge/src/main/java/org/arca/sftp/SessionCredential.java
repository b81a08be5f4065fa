package org.arca.sftp;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.arca.core.ArcaException;
import org.arca.core.accounts.Authentication;
import org.arca.core.accounts.PublicKeys;

/**
 * The credential an SFTP session signed in with, and whether it still holds. A session lasts long after its
 * sign-in, so before each request it asks again whether its password, token or key is still good and its account
 * still active; the web refuses a revoked credential at once, and so must an open session. Asking the database on
 * every packet would cost more than a small upload, so it asks only when the repository's
 * {@linkplain Authentication#credentialsVersion credentials version} moved (any password, status, token, key or
 * membership change made through this process), and otherwise at most every {@link #RECHECK_NANOS}, for changes
 * made by another process on a shared database. Thread-safe.
 */
final class SessionCredential {
    static final AttributeKey<SessionCredential> KEY = new AttributeKey<>();
    /** The longest a change made by another process (a command-line tool on PostgreSQL) goes unnoticed. */
    static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Authentication authentication;
    private final BooleanSupplier stillValid;
    private long checkedVersion;
    private long checkedAt;
    private boolean revoked;

    /**
     * {@code version} is the credentials version read before the sign-in was checked, so a change committed during
     * the sign-in is asked about at the first request.
     */
    private SessionCredential(Authentication authentication, long version, BooleanSupplier stillValid) {
        this.authentication = authentication;
        this.stillValid = stillValid;
        this.checkedVersion = version;
        this.checkedAt = System.nanoTime();
    }

    /**
     * Signed in with a password: valid while the account is active and its password is the one stamped
     * ({@link Authentication#passwordStamp}, read before the password was checked).
     */
    static SessionCredential password(Authentication authentication, long version, String login, String userId,
                                      String stamp) {
        return new SessionCredential(authentication, version, () -> authentication.activeCaller(userId).isPresent()
                && authentication.passwordStamp(login).filter(stamp::equals).isPresent());
    }

    /** Signed in with an API token: valid while the token is neither revoked nor expired and its account active. */
    static SessionCredential token(Authentication authentication, long version, String token) {
        return new SessionCredential(authentication, version, () -> {
            try {
                authentication.token(token);
                return true;
            } catch (ArcaException e) {
                return false;
            }
        });
    }

    /** Signed in with a registered key: valid while the key stays registered and the account active. */
    static SessionCredential key(Authentication authentication, long version, PublicKeys keys, String login,
                                 String fingerprint) {
        return new SessionCredential(authentication, version, () -> keys.signIn(login, fingerprint).isPresent());
    }

    /** Whether the session may go on; once false, it stays false. */
    synchronized boolean valid() {
        if (revoked) {
            return false;
        }
        // Read before asking: a change committed while the answer is made moves it on, and is asked about next time.
        long version = authentication.credentialsVersion();
        long now = System.nanoTime();
        if (version == checkedVersion && now - checkedAt < RECHECK_NANOS) {
            return true;
        }
        if (!stillValid.getAsBoolean()) {
            revoked = true;
            return false;
        }
        checkedVersion = version;
        checkedAt = now;
        return true;
    }
}
