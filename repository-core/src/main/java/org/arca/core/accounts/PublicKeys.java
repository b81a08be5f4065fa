package org.arca.core.accounts;

import static org.arca.core.Database.instant;
import static org.arca.core.Database.stamp;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.arca.core.ArcaException;
import org.arca.core.Database;
import org.arca.core.Ids;
import org.arca.core.Names;
import org.arca.core.Tables.PublicKeysT;
import org.arca.core.access.AccessControl;
import org.arca.core.access.Caller;
import org.arca.core.audit.AuditLog;
import org.jooq.Record;

/**
 * SSH public keys users register to sign in over SFTP. The core keeps keys as text and looks them up by
 * fingerprint; parsing and fingerprinting belong to the surface that speaks SSH, so the core needs no SSH
 * library. A user sees and removes only their own keys (admins anyone's).
 */
public final class PublicKeys {

    /** A registered key: OpenSSH type and base64 data, and its SHA-256 fingerprint. */
    public record PublicKey(String id, String userId, String name, String type, String data, String fingerprint,
                            Instant createdAt) {
    }

    private final Database db;
    private final Accounts accounts;
    private final AuditLog audit;
    private final Clock clock;
    /** Told when a key is removed: sessions signed in with it end ({@link Authentication#credentialsVersion}). */
    private final Runnable credentialsChanged;

    public PublicKeys(Database db, Accounts accounts, AuditLog audit, Clock clock, Runnable credentialsChanged) {
        this.db = db;
        this.accounts = accounts;
        this.audit = audit;
        this.clock = clock;
        this.credentialsChanged = credentialsChanged;
    }

    /** Registers a key the surface already parsed; the same key twice for one user is a CONFLICT. */
    public PublicKey add(Caller caller, String name, String type, String data, String fingerprint) {
        if (!caller.signedIn()) {
            throw ArcaException.unauthorized("Sign in to register a key.");
        }
        String keyName = Names.requireText(name == null || name.isBlank() ? type : name, "name", 255);
        String id = Ids.newId();
        if (db.dsl().fetchExists(PublicKeysT.T, PublicKeysT.USER_ID.eq(caller.userId())
                .and(PublicKeysT.FINGERPRINT.eq(fingerprint)))) {
            throw ArcaException.conflict("key_exists", "This key is already registered.");
        }
        try {
            insert(caller, id, keyName, type, data, fingerprint);
        } catch (org.jooq.exception.IntegrityConstraintViolationException e) {
            // The same key registered twice at once: the second meets the unique index.
            throw ArcaException.conflict("key_exists", "This key is already registered.");
        }
        return list(caller).stream().filter(k -> k.id().equals(id)).findFirst().orElseThrow();
    }

    private void insert(Caller caller, String id, String keyName, String type, String data, String fingerprint) {
        db.inTransaction(tx -> {
            tx.insertInto(PublicKeysT.T).set(PublicKeysT.ID, id).set(PublicKeysT.USER_ID, caller.userId())
                    .set(PublicKeysT.NAME, keyName).set(PublicKeysT.KEY_TYPE, type).set(PublicKeysT.KEY_DATA, data)
                    .set(PublicKeysT.FINGERPRINT, fingerprint).set(PublicKeysT.CREATED_AT, stamp(clock.instant()))
                    .execute();
            audit.append(tx, caller, "key.add", "key", id, "fingerprint=" + fingerprint);
            return null;
        });
    }

    public List<PublicKey> list(Caller caller) {
        return db.dsl().select(PublicKeysT.ALL).from(PublicKeysT.T).where(PublicKeysT.USER_ID.eq(caller.userId()))
                .orderBy(PublicKeysT.CREATED_AT).fetch(PublicKeys::key);
    }

    public void delete(Caller caller, String keyId) {
        Record row = db.dsl().select(PublicKeysT.ALL).from(PublicKeysT.T).where(PublicKeysT.ID.eq(keyId)).fetchOne();
        if (row == null) {
            throw ArcaException.notFound("The key");
        }
        AccessControl.requireOwnerOrAdmin(caller, row.get(PublicKeysT.USER_ID), "The key");
        db.inTransaction(tx -> {
            tx.deleteFrom(PublicKeysT.T).where(PublicKeysT.ID.eq(keyId)).execute();
            audit.append(tx, caller, "key.delete", "key", keyId, "");
            return null;
        });
        credentialsChanged.run();
    }

    /**
     * Signs in with a key: the caller when {@code login} names an active account that registered a key with
     * this fingerprint, else empty (the surface does not say which part failed).
     */
    public Optional<Caller> signIn(String login, String fingerprint) {
        return accounts.byLogin(login).filter(u -> u.status() == User.Status.ACTIVE)
                .filter(u -> db.dsl().fetchExists(PublicKeysT.T, PublicKeysT.USER_ID.eq(u.id())
                        .and(PublicKeysT.FINGERPRINT.eq(fingerprint))))
                .map(accounts::callerFor);
    }

    private static PublicKey key(Record r) {
        return new PublicKey(r.get(PublicKeysT.ID), r.get(PublicKeysT.USER_ID), r.get(PublicKeysT.NAME),
                r.get(PublicKeysT.KEY_TYPE), r.get(PublicKeysT.KEY_DATA), r.get(PublicKeysT.FINGERPRINT),
                instant(r.get(PublicKeysT.CREATED_AT)));
    }
}
