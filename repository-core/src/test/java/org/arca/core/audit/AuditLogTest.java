package org.arca.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.arca.core.Folder;
import org.arca.core.Item;
import org.arca.core.Page;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.AclEntry;
import org.arca.core.access.Caller;
import org.arca.core.audit.AuditEntry;
import org.arca.core.audit.AuditLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class AuditLogTest {

    final TestDatabases.Kind kind;

    AuditLogTest(TestDatabases.Kind kind) {
        this.kind = kind;
    }

    TestRepository test;
    AuditLog audit;

    @BeforeEach
    void open() {
        test = new TestRepository(kind);
        audit = test.repo().audit();
        Caller alice = test.user("alice");
        Folder project = test.repo().folders().createCollection(alice, "Audited", null);
        Item item = test.upload(alice, project.id(), "a.txt", "a");
        test.repo().items().content(alice, item.id(), null);
        test.repo().access().setAcl(alice, project.id(), java.util.List.of(
                new AclEntry("user:alice", AccessLevel.ADMIN), new AclEntry("everyone", AccessLevel.READ)));
    }

    @AfterEach
    void close() {
        test.close();
    }

    @Test
    void writesDownloadsAndAclChangesAreRecordedAndTheChainIsIntact() {
        Page<AuditEntry> entries = audit.query(Caller.SYSTEM, null, null, null, 100, 0);
        assertThat(entries.entries()).extracting(AuditEntry::action)
                .contains("user.create", "collection.create", "item.create", "item.download", "acl.set");
        assertThat(audit.query(Caller.SYSTEM, "alice", null, "item.download", 10, 0).total()).isEqualTo(1);
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void aModifiedEntryIsFound() {
        test.repo().database().dsl().execute("UPDATE audit_log SET detail = 'nothing to see' WHERE action = 'item.download'");
        AuditLog.Verification v = audit.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.problems()).anyMatch(p -> p.contains("was modified"));
    }

    @Test
    void aDeletedEntryIsFound() {
        test.repo().database().dsl().execute("DELETE FROM audit_log WHERE action = 'item.create'");
        assertThat(audit.verify().problems()).anyMatch(p -> p.contains("missing"));
    }

    @Test
    void cuttingTheNewestEntryIsFound() {
        long last = ((Number) test.repo().database().dsl().fetchValue("SELECT MAX(seq) FROM audit_log")).longValue();
        test.repo().database().dsl().execute("DELETE FROM audit_log WHERE seq = " + last);
        assertThat(audit.verify().problems()).anyMatch(p -> p.contains("newest entries"));
    }
}
