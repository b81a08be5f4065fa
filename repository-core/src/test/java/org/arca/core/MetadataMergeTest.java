package org.arca.core;

import static org.arca.core.ArcaErrors.assertArcaError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.AclEntry;
import org.arca.core.access.Caller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Setting keys on many items at once: other keys kept, the access rules of a single write, all or nothing. */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class MetadataMergeTest {

    @Parameter
    TestDatabases.Kind kind;

    static TestRepository test;
    static Caller owner;
    static Caller reader;

    @BeforeParameterizedClassInvocation
    static void open(TestDatabases.Kind kind) {
        test = new TestRepository(kind);
        owner = test.user("owner");
        reader = test.user("reader");
    }

    @AfterParameterizedClassInvocation
    static void close() {
        test.close();
    }

    @Test
    void setsTheNamedKeysOnEveryItemAndKeepsTheOthers() {
        Folder folder = test.repo().folders().createCollection(owner, "Merge " + kind, null);
        Item a = test.upload(owner, folder.id(), "a.txt", "a");
        Item b = test.upload(owner, folder.id(), "b.txt", "b");
        test.repo().metadata().put(owner, MetadataStore.Target.ITEM, a.id(), Map.of("visit", new MetadataValue.Number(3),
                "flag", new MetadataValue.Text("old")));
        Map<String, Map<String, MetadataValue>> changes = new LinkedHashMap<>();
        changes.put(a.id(), Map.of("flag", new MetadataValue.Text("new"), "boxes", new MetadataValue.Number(2)));
        changes.put(b.id(), Map.of("boxes", new MetadataValue.Number(0)));
        test.repo().metadata().merge(owner, MetadataStore.Target.ITEM, changes);

        assertThat(test.repo().metadata().get(owner, MetadataStore.Target.ITEM, a.id())).isEqualTo(Map.of(
                "visit", new MetadataValue.Number(3), "flag", new MetadataValue.Text("new"), "boxes", new MetadataValue.Number(2)));
        assertThat(test.repo().metadata().get(owner, MetadataStore.Target.ITEM, b.id()))
                .isEqualTo(Map.of("boxes", new MetadataValue.Number(0)));
        assertThat(test.repo().audit().query(Caller.SYSTEM, "owner", b.id(), "metadata.set", 10, 0).total()).isEqualTo(1);
    }

    @Test
    void oneItemTheCallerCannotWriteChangesNothing() {
        Folder mine = test.repo().folders().createCollection(owner, "Writable " + kind, null);
        Folder shared = test.repo().folders().createCollection(owner, "Read only " + kind, null);
        test.repo().access().setAcl(owner, mine.id(), List.of(new AclEntry("user:owner", AccessLevel.ADMIN), new AclEntry("user:reader", AccessLevel.WRITE)));
        test.repo().access().setAcl(owner, shared.id(), List.of(new AclEntry("user:owner", AccessLevel.ADMIN), new AclEntry("user:reader", AccessLevel.READ)));
        Item writable = test.upload(owner, mine.id(), "w.txt", "w");
        Item readOnly = test.upload(owner, shared.id(), "r.txt", "r");
        Map<String, Map<String, MetadataValue>> changes = new LinkedHashMap<>();
        changes.put(writable.id(), Map.of("boxes", new MetadataValue.Number(1)));
        changes.put(readOnly.id(), Map.of("boxes", new MetadataValue.Number(1)));

        assertArcaError(() -> test.repo().metadata().merge(reader, MetadataStore.Target.ITEM, changes),
                ArcaException.Kind.FORBIDDEN);
        assertThat(test.repo().metadata().get(reader, MetadataStore.Target.ITEM, writable.id())).isEmpty();
        assertArcaError(() -> test.repo().metadata().merge(reader, MetadataStore.Target.ITEM,
                Map.of("no-such-item", Map.of("boxes", new MetadataValue.Number(1)))), ArcaException.Kind.NOT_FOUND);
        assertArcaError(() -> test.repo().metadata().merge(owner, MetadataStore.Target.ITEM,
                Map.of(writable.id(), Map.of("", new MetadataValue.Number(1)))), "invalid_key");
    }
}
