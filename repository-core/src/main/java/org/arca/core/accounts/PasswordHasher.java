package org.arca.core.accounts;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import org.arca.core.ArcaException;

/**
 * Argon2id (password4j) with OWASP's minimum parameters: 19 MiB, 2 passes, 1 lane. The PHC string it stores
 * carries the parameters, so they can be raised later without breaking existing hashes.
 */
public final class PasswordHasher {
    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID);
    private static final int MIN_LENGTH = 8;

    String hash(String password) {
        requireStrong(password);
        return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
    }

    boolean matches(String password, String storedHash) {
        if (password == null || storedHash == null || !storedHash.startsWith("$argon2")) {
            return false;
        }
        return Argon2Function.getInstanceFromHash(storedHash).check(password, storedHash);
    }

    /** Spends the time of one check on nothing, so unknown logins answer as slowly as known ones. */
    void burn(String password) {
        ARGON2ID.hash(password == null ? "" : password);
    }

    static void requireStrong(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw ArcaException.invalid("weak_password", "A password needs at least " + MIN_LENGTH + " characters.");
        }
        if (password.length() > 1024) {
            throw ArcaException.invalid("weak_password", "A password may have at most 1024 characters.");
        }
    }
}
