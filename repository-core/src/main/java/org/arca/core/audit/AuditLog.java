package org.arca.core.audit;

import static org.arca.core.Database.instant;
import static org.arca.core.Database.stamp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.arca.core.Database;
import org.arca.core.Page;
import org.arca.core.Tables.Audit;
import org.arca.core.Tables.AuditHead;
import org.arca.core.access.Caller;
import org.arca.core.accounts.Accounts;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The append-only audit log. Each entry's hash covers its fields and the previous entry's hash, and the
 * head row keeps the newest link, so {@link #verify()} finds an entry that was changed, removed from the
 * middle, or cut from the end. Entries about a write commit in that write's transaction.
 */
public final class AuditLog {

    /** What {@link #verify()} found: the number of entries checked and the problems, empty when intact. */
    public record Verification(long entries, List<String> problems) {
        public Verification {
            problems = List.copyOf(problems);
        }

        public boolean intact() {
            return problems.isEmpty();
        }
    }

    private static final int MAX_DETAIL = 4000;
    private final Database db;

    public AuditLog(Database db) {
        this.db = db;
    }

    /** One entry of {@link #appendAll}: what was done to which resource, and how. */
    public record Entry(String action, String resourceType, String resourceId, String detail) {
    }

    /** Appends within the caller's transaction; the head row lock orders concurrent appends. */
    public void append(DSLContext tx, Caller actor, String action, String resourceType, String resourceId, String detail) {
        appendAll(tx, actor, List.of(new Entry(action, resourceType, resourceId, detail)));
    }

    /**
     * Appends several entries by one actor within the caller's transaction, chained in their order: the head is
     * read and moved once and the rows go in one statement, for a write of many items at once.
     */
    public void appendAll(DSLContext tx, Caller actor, List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        // Lock the head by updating it, then read it. A SELECT ... FOR UPDATE does the same, but H2 keeps no parsed
        // copy of one and parsed it anew in every write: half of this method's time.
        tx.update(AuditHead.T).set(AuditHead.SEQ, AuditHead.SEQ).where(AuditHead.ID.eq(1)).execute();
        Record head = tx.select(AuditHead.SEQ, AuditHead.HASH).from(AuditHead.T).where(AuditHead.ID.eq(1)).fetchSingle();
        long seq = head.get(AuditHead.SEQ);
        String prev = head.get(AuditHead.HASH);
        Instant at = stamp(Instant.now()).toInstant();
        String who = actor.login();
        var insert = tx.insertInto(Audit.T, Audit.SEQ, Audit.CREATED_AT, Audit.ACTOR, Audit.ACTION, Audit.RESOURCE_TYPE,
                Audit.RESOURCE_ID, Audit.DETAIL, Audit.PREV_HASH, Audit.HASH);
        for (Entry entry : entries) {
            seq++;
            String text = entry.detail().length() > MAX_DETAIL ? entry.detail().substring(0, MAX_DETAIL) : entry.detail();
            String hash = hash(seq, at, who, entry.action(), entry.resourceType(), entry.resourceId(), text, prev);
            insert = insert.values(seq, stamp(at), who, entry.action(), entry.resourceType(), entry.resourceId(), text,
                    prev, hash);
            prev = hash;
        }
        insert.execute();
        tx.update(AuditHead.T).set(AuditHead.SEQ, seq).set(AuditHead.HASH, prev).where(AuditHead.ID.eq(1)).execute();
    }

    /** Appends in a transaction of its own, for events that change nothing else (downloads, sign-ins). */
    public void record(Caller actor, String action, String resourceType, String resourceId, String detail) {
        db.inTransaction(tx -> {
            append(tx, actor, action, resourceType, resourceId, detail);
            return null;
        });
    }

    /** Entries newest first, filtered by actor login and resource id when given. Admins only. */
    public Page<AuditEntry> query(Caller caller, String actor, String resourceId, String action, int limit, int offset) {
        Accounts.requireAdmin(caller);
        Condition where = DSL.noCondition();
        if (actor != null && !actor.isBlank()) {
            where = where.and(Audit.ACTOR.eq(actor));
        }
        if (resourceId != null && !resourceId.isBlank()) {
            where = where.and(Audit.RESOURCE_ID.eq(resourceId));
        }
        if (action != null && !action.isBlank()) {
            where = where.and(Audit.ACTION.eq(action));
        }
        DSLContext dsl = db.dsl();
        long total = dsl.fetchCount(Audit.T, where);
        List<AuditEntry> entries = dsl.select(Audit.ALL).from(Audit.T).where(where).orderBy(Audit.SEQ.desc())
                .limit(limit).offset(offset).fetch(AuditLog::entry);
        return new Page<>(entries, total, limit, offset);
    }

    /** {@link #verify()} for a caller, who must be an admin. */
    public Verification verify(Caller caller) {
        Accounts.requireAdmin(caller);
        return verify();
    }

    /** Walks the whole chain in order and reports every broken link. */
    public Verification verify() {
        List<String> problems = new ArrayList<>();
        long expectedSeq = 1;
        String prev = "0".repeat(64);
        long count = 0;
        try (var cursor = db.dsl().select(Audit.ALL).from(Audit.T).orderBy(Audit.SEQ).fetchSize(1000).fetchLazy()) {
            for (Record r : cursor) {
                AuditEntry e = entry(r);
                count++;
                if (e.seq() != expectedSeq) {
                    problems.add("entries " + expectedSeq + " to " + (e.seq() - 1) + " are missing");
                }
                if (!e.prevHash().equals(prev)) {
                    problems.add("entry " + e.seq() + " does not follow the entry before it");
                }
                String recomputed = hash(e.seq(), e.at(), e.actor(), e.action(), e.resourceType(), e.resourceId(),
                        e.detail(), e.prevHash());
                if (!recomputed.equals(e.hash())) {
                    problems.add("entry " + e.seq() + " was modified");
                }
                prev = e.hash();
                expectedSeq = e.seq() + 1;
            }
        }
        Record head = db.dsl().select(AuditHead.SEQ, AuditHead.HASH).from(AuditHead.T).where(AuditHead.ID.eq(1)).fetchSingle();
        if (head.get(AuditHead.SEQ) != expectedSeq - 1 || !head.get(AuditHead.HASH).equals(prev)) {
            problems.add("the newest entries up to " + head.get(AuditHead.SEQ) + " are missing");
        }
        return new Verification(count, problems);
    }

    private static AuditEntry entry(Record r) {
        return new AuditEntry(r.get(Audit.SEQ), instant(r.get(Audit.CREATED_AT)), r.get(Audit.ACTOR), r.get(Audit.ACTION),
                r.get(Audit.RESOURCE_TYPE), r.get(Audit.RESOURCE_ID), r.get(Audit.DETAIL), r.get(Audit.PREV_HASH),
                r.get(Audit.HASH));
    }

    private static String hash(long seq, Instant at, String actor, String action, String type, String id, String detail,
                               String prev) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            // Length-prefixed fields: no two different entries serialise to the same bytes.
            for (String field : new String[] {Long.toString(seq), Long.toString(at.toEpochMilli()), actor, action, type, id,
                    detail, prev}) {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
