package org.arca.core.access;

import static org.arca.core.ArcaErrors.assertArcaError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.arca.core.ArcaException;
import org.arca.core.Folder;
import org.arca.core.FolderTree;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.AccessControl;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.AclEntry;
import org.arca.core.access.Caller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class AccessControlTest {

    static final AclEntry OWNER = new AclEntry("user:owner", AccessLevel.ADMIN);

    @Parameter
    TestDatabases.Kind kind;


    static TestRepository test;
    static FolderTree folders;
    static AccessControl access;
    static Caller owner;
    static Caller bob;
    static Caller carol;
    static Folder project;
    static Folder shared;
    static Folder deep;

    @BeforeParameterizedClassInvocation
    static void open(TestDatabases.Kind kind) {
        test = new TestRepository(kind);
        folders = test.repo().folders();
        access = test.repo().access();
        owner = test.user("owner");
        bob = test.user("bob");
        test.user("carol");
        test.repo().accounts().createGroup(Caller.SYSTEM, "radiology");
        test.repo().accounts().addMember(Caller.SYSTEM, "radiology", "carol");
        carol = test.caller("carol");
        project = folders.createCollection(owner, "ACL project", null);
        shared = folders.create(owner, project.id(), "shared", null);
        deep = folders.create(owner, shared.id(), "deep", null);
    }

    @AfterParameterizedClassInvocation
    static void close() {
        test.close();
    }

    @Test
    void hiddenIsNotFoundAndVisibleButLockedIsForbidden() {
        access.setAcl(owner, shared.id(), List.of());
        assertArcaError(() -> folders.get(bob, deep.id()), ArcaException.Kind.NOT_FOUND);

        access.setAcl(owner, shared.id(), List.of(new AclEntry("user:bob", AccessLevel.READ)));
        assertThat(folders.get(bob, deep.id()).access()).isEqualTo(AccessLevel.READ);
        assertArcaError(() -> folders.create(bob, deep.id(), "nope", null), ArcaException.Kind.FORBIDDEN);
        assertArcaError(() -> folders.get(bob, project.id()), ArcaException.Kind.NOT_FOUND);
        assertThat(folders.sharedWithMe(bob)).extracting(Folder::id).contains(shared.id()).doesNotContain(deep.id());
        assertThat(folders.collections(bob)).extracting(Folder::id).doesNotContain(project.id());
        assertThat(folders.ancestors(bob, deep.id())).extracting(Folder::name).containsExactly("shared");
        assertThat(folders.ancestors(owner, deep.id())).extracting(Folder::access)
                .containsExactly(AccessLevel.ADMIN, AccessLevel.ADMIN);
    }

    @Test
    void theHighestGrantOnAnyAncestorWins() {
        access.setAcl(owner, project.id(), List.of(OWNER, new AclEntry("group:radiology", AccessLevel.READ)));
        access.setAcl(owner, shared.id(), List.of(new AclEntry("user:carol", AccessLevel.WRITE)));
        assertThat(access.levelOn(carol, project.id())).isEqualTo(AccessLevel.READ);
        assertThat(access.levelOn(carol, deep.id())).isEqualTo(AccessLevel.WRITE);

        access.setAcl(owner, project.id(), List.of(OWNER, new AclEntry("group:radiology", AccessLevel.ADMIN)));
        assertThat(access.levelOn(carol, deep.id())).isEqualTo(AccessLevel.ADMIN);
        access.setAcl(owner, project.id(), List.of(OWNER));
        access.setAcl(owner, shared.id(), List.of());
        assertThat(access.levelOn(carol, deep.id())).isEqualTo(AccessLevel.NONE);
    }

    @Test
    void everyoneMeansSignedInAndPublicMeansAnyone() {
        Folder open = folders.createCollection(owner, "Open data", null);
        access.setAcl(owner, open.id(), List.of(OWNER, new AclEntry("everyone", AccessLevel.READ)));
        assertThat(access.levelOn(bob, open.id())).isEqualTo(AccessLevel.READ);
        assertThat(access.levelOn(Caller.ANONYMOUS, open.id())).isEqualTo(AccessLevel.NONE);

        access.setAcl(owner, open.id(), List.of(OWNER, new AclEntry("public", AccessLevel.READ)));
        assertThat(folders.collections(Caller.ANONYMOUS)).extracting(Folder::name).contains("Open data");
        assertArcaError(() -> folders.create(Caller.ANONYMOUS, open.id(), "x", null), ArcaException.Kind.UNAUTHORIZED);
    }

    @Test
    void onlyFolderAdminsSeeAndChangeTheAcl() {
        Folder mine = folders.create(owner, project.id(), "acl-admin", null);
        access.setAcl(owner, mine.id(), List.of(new AclEntry("user:bob", AccessLevel.WRITE)));
        assertArcaError(() -> access.acl(bob, mine.id()), ArcaException.Kind.FORBIDDEN);
        assertArcaError(() -> access.setAcl(bob, mine.id(), List.of(new AclEntry("user:bob", AccessLevel.ADMIN))));
        assertThat(access.acl(owner, mine.id()).entries()).containsExactly(new AclEntry("user:bob", AccessLevel.WRITE));
        assertThat(access.acl(owner, mine.id()).inherited()).extracting(AccessControl.InheritedEntry::principal)
                .contains("user:owner");
        assertArcaError(() -> access.setAcl(owner, mine.id(), List.of(new AclEntry("user:nobody", AccessLevel.READ))),
                "unknown_user");
        assertThat(access.acl(owner, mine.id()).entries()).containsExactly(new AclEntry("user:bob", AccessLevel.WRITE));

        Folder own = folders.createCollection(bob, "Bob's own", null);
        assertArcaError(() -> access.setAcl(bob, own.id(), List.of(new AclEntry("everyone", AccessLevel.READ))),
                "would_lock_out");
        assertThat(access.acl(bob, own.id()).entries()).containsExactly(new AclEntry("user:bob", AccessLevel.ADMIN));
    }

    @Test
    void listingManyChildrenCostsAConstantNumberOfQueries() {
        Folder big = folders.create(owner, project.id(), "big", null);
        Folder nested = folders.create(owner, big.id(), "nested", null);
        access.setAcl(owner, big.id(), List.of(new AclEntry("user:bob", AccessLevel.READ)));
        for (int i = 0; i < 30; i++) {
            folders.create(owner, nested.id(), String.format("f%03d", i), null);
            test.upload(owner, nested.id(), String.format("i%03d.txt", i), "item " + i);
        }
        // The search index reads these new rows on its own thread; the statement counter is shared, so let it finish.
        test.repo().searchIndex().awaitQueued();
        long small = queriesFor(() -> folders.children(bob, nested.id(), 4, 28));
        long large = queriesFor(() -> folders.children(bob, nested.id(), 60, 0));
        assertThat(large).isEqualTo(small);
        assertThat(folders.children(bob, nested.id(), 60, 0).folders()).allMatch(f -> f.access() == AccessLevel.READ);
    }

    private long queriesFor(Runnable work) {
        long before = test.repo().database().statementsExecuted();
        work.run();
        return test.repo().database().statementsExecuted() - before;
    }
}
