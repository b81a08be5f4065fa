package org.arca.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.AclEntry;
import org.arca.core.access.Caller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reading stored bytes: only a caller who may read an item holding them gets them, everyone else is told they do
 * not exist, and each read writes its audit entry once, however many times the granted bytes are then read.
 */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class StoredBytesTest {

    @Parameter
    TestDatabases.Kind kind;

    static TestRepository test;
    static Caller owner;
    static Caller reader;
    static Caller stranger;

    @BeforeParameterizedClassInvocation
    static void open(TestDatabases.Kind kind) {
        test = new TestRepository(kind);
        owner = test.user("owner");
        reader = test.user("reader");
        stranger = test.user("stranger");
    }

    @AfterParameterizedClassInvocation
    static void close() {
        test.close();
    }

    private Item shared(String name, String text) {
        Folder folder = test.repo().folders().createCollection(owner, name + " " + kind, null);
        test.repo().access().setAcl(owner, folder.id(), List.of(new AclEntry("user:owner", AccessLevel.ADMIN),
                new AclEntry("user:reader", AccessLevel.READ)));
        return test.upload(owner, folder.id(), name + ".txt", text);
    }

    private static long audited(Caller caller, String itemId, String action) {
        return test.repo().audit().query(Caller.SYSTEM, caller.login(), itemId, action, 10, 0).total();
    }

    @Test
    void aCallerWithoutReadIsToldTheBytesDoNotExistAndNothingIsAudited() {
        Item item = shared("hidden", "not for strangers");
        StoredFile file = item.primaryFile();

        assertThatThrownBy(() -> test.repo().bytes().read(stranger, file,
                StoredBytes.Audit.entry("item.preview", "item", item.id(), "file=" + file.id())))
                .isInstanceOfSatisfying(ArcaException.class, e -> assertThat(e.kind()).isEqualTo(ArcaException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> test.repo().bytes().open(Caller.ANONYMOUS, file, StoredBytes.Audit.partOf("test")))
                .isInstanceOfSatisfying(ArcaException.class, e -> assertThat(e.kind()).isEqualTo(ArcaException.Kind.NOT_FOUND));
        assertThat(audited(stranger, item.id(), "item.preview")).isZero();
    }

    @Test
    void bytesNoItemHoldsAreNotFoundEvenWhenTheCallerMayReadOtherFiles() {
        shared("other", "readable");
        byte[] loose = "in the blob store, in no item".getBytes(StandardCharsets.UTF_8);
        String sha = test.repo().blobs().write(new java.io.ByteArrayInputStream(loose), loose.length, 1 << 20).sha256();

        assertThatThrownBy(() -> test.repo().bytes().read(reader, List.of(sha), StoredBytes.Audit.partOf("test")))
                .isInstanceOfSatisfying(ArcaException.class, e -> assertThat(e.kind()).isEqualTo(ArcaException.Kind.NOT_FOUND));
    }

    @Test
    void aReaderGetsTheBytesAndTheReadIsAuditedOnce() throws Exception {
        Item item = shared("readable", "for readers");
        StoredFile file = item.primaryFile();

        ReadableBytes bytes = test.repo().bytes().read(reader, file,
                StoredBytes.Audit.entry("item.preview", "item", item.id(), "file=" + file.id()));
        try (var in = bytes.open(file.sha256())) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("for readers");
        }
        assertThat(Files.readString(bytes.path(file.sha256()))).isEqualTo("for readers");

        assertThat(audited(reader, item.id(), "item.preview")).isEqualTo(1);
    }

    @Test
    void aReadPartOfAnAuditedActionAddsNoEntry() throws Exception {
        Item item = shared("archived", "in an archive");

        try (var in = test.repo().bytes().open(reader, item.primaryFile(), StoredBytes.Audit.partOf("folder.archive"))) {
            assertThat(in.readAllBytes()).isNotEmpty();
        }

        assertThat(test.repo().audit().query(Caller.SYSTEM, reader.login(), item.id(), null, 10, 0).total()).isZero();
    }

    @Test
    void grantedBytesReachNoOtherBlob() {
        Item granted = shared("granted", "this one");
        Item other = shared("notgranted", "not this one");

        ReadableBytes bytes = test.repo().bytes().read(reader, granted.primaryFile(), StoredBytes.Audit.partOf("test"));

        assertThatThrownBy(() -> bytes.path(other.primaryFile().sha256())).isInstanceOf(IllegalArgumentException.class);
    }
}
