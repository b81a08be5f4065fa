package org.arca.core;

import static org.arca.core.ArcaErrors.assertArcaError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.AclEntry;
import org.arca.core.access.Caller;
import org.arca.core.audit.AuditEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class FolderTreeTest {

    @Parameter
    TestDatabases.Kind kind;


    static TestRepository test;
    static FolderTree folders;
    static Caller alice;

    @BeforeParameterizedClassInvocation
    static void open(TestDatabases.Kind kind) {
        test = new TestRepository(kind);
        folders = test.repo().folders();
        alice = test.user("alice");
    }

    @AfterParameterizedClassInvocation
    static void close() {
        test.close();
    }

    @Test
    void aFolderInTheHomeIsFoundOrMadeByName() {
        Caller dora = test.user("dora-home");
        String made = folders.homeChildId(dora, "DICOM");
        Folder home = folders.home(dora);
        assertThat(folders.get(dora, made).parentId()).isEqualTo(home.id());
        assertThat(folders.get(dora, made).name()).isEqualTo("DICOM");
        assertThat(folders.homeChildId(dora, "DICOM")).isEqualTo(made);
        // Another user's folder of that name in their own home is theirs, not dora's.
        Caller eve = test.user("eve-home");
        assertThat(folders.homeChildId(eve, "DICOM")).isNotEqualTo(made);
        assertThat(folders.child(dora, home.id(), "DICOM").id()).isEqualTo(made);
    }

    @Test
    void aTreeIsBuiltListedAndPagedFoldersFirst() {
        Folder project = folders.createCollection(alice, "Tree project", "a trial");
        Folder scans = folders.create(alice, project.id(), "scans", null);
        folders.create(alice, project.id(), "reports", null);
        test.upload(alice, project.id(), "a.txt", "A");
        test.upload(alice, project.id(), "b.txt", "B");

        Children all = folders.children(alice, project.id(), 10, 0);
        assertThat(all.folders()).extracting(Folder::name).containsExactly("reports", "scans");
        assertThat(all.items()).extracting(Item::name).containsExactly("a.txt", "b.txt");
        assertThat(all.total()).isEqualTo(4);

        Children second = folders.children(alice, project.id(), 2, 1);
        assertThat(second.folders()).extracting(Folder::name).containsExactly("scans");
        assertThat(second.items()).extracting(Item::name).containsExactly("a.txt");

        assertThat(folders.get(alice, scans.id()).collectionId()).isEqualTo(project.id());
        assertThat(folders.ancestors(alice, scans.id())).extracting(Folder::name).containsExactly("Tree project");
        assertThat(folders.collections(alice)).extracting(Folder::name).contains("Tree project");
    }

    @Test
    void badNamesAreRefusedAndChangeNothing() {
        Folder project = folders.createCollection(alice, "Names", null);
        for (String bad : List.of("a/b", "..", ".", "nul\u0000", "tab\tname", "x".repeat(256), "é".repeat(128), " lead", "")) {
            assertArcaError(() -> folders.create(alice, project.id(), bad, null), ArcaException.Kind.INVALID);
        }
        folders.create(alice, project.id(), "x".repeat(255), null);
        folders.create(alice, project.id(), "same", null);
        assertArcaError(() -> folders.create(alice, project.id(), "same", null), "name_taken");
        test.upload(alice, project.id(), "file", "x");
        assertArcaError(() -> folders.create(alice, project.id(), "file", null), "name_taken");
        assertThat(folders.children(alice, project.id(), 100, 0).total()).isEqualTo(3);
    }

    @Test
    void aFolderCannotMoveIntoItsOwnSubtree() {
        Folder project = folders.createCollection(alice, "Cycles", null);
        Folder a = folders.create(alice, project.id(), "a", null);
        Folder b = folders.create(alice, a.id(), "b", null);
        Folder c = folders.create(alice, b.id(), "c", null);

        for (String target : List.of(a.id(), b.id(), c.id())) {
            assertArcaError(() -> folders.move(alice, a.id(), target), "move_into_own_subtree");
        }
        assertThat(folders.ancestors(alice, c.id())).extracting(Folder::name).containsExactly("Cycles", "a", "b");
    }

    @Test
    void movingASubtreeRelinksEveryDescendant() {
        Folder one = folders.createCollection(alice, "Move from", null);
        Folder two = folders.createCollection(alice, "Move to", null);
        Folder a = folders.create(alice, one.id(), "a", null);
        Folder b = folders.create(alice, a.id(), "b", null);
        Folder c = folders.create(alice, b.id(), "c", null);
        Folder target = folders.create(alice, two.id(), "target", null);

        folders.move(alice, a.id(), target.id());

        assertThat(folders.ancestors(alice, c.id())).extracting(Folder::name).containsExactly("Move to", "target", "a", "b");
        assertThat(folders.get(alice, c.id()).collectionId()).isEqualTo(two.id());
        assertThat(folders.children(alice, one.id(), 10, 0).total()).isZero();
        assertThat(folders.subtree(alice, two.id())).extracting(FolderTree.FolderPath::path)
                .containsExactly("Move to", "Move to/target", "Move to/target/a", "Move to/target/a/b", "Move to/target/a/b/c");
    }

    @Test
    void copyDuplicatesTheTreeAndSharesBlobs() {
        Folder project = folders.createCollection(alice, "Copies", null);
        Folder src = folders.create(alice, project.id(), "src", null);
        Folder inner = folders.create(alice, src.id(), "inner", null);
        Item original = test.upload(alice, inner.id(), "data.txt", "same bytes");
        test.repo().metadata().put(alice, MetadataStore.Target.ITEM, original.id(),
                java.util.Map.of("site", new MetadataValue.Text("Lyon")));

        Folder copy = folders.copy(alice, src.id(), project.id(), "src copy");

        Folder copiedInner = folders.children(alice, copy.id(), 10, 0).folders().get(0);
        Item copied = folders.children(alice, copiedInner.id(), 10, 0).items().get(0);
        assertThat(copied.id()).isNotEqualTo(original.id());
        assertThat(copied.primaryFile().sha256()).isEqualTo(original.primaryFile().sha256());
        assertThat(test.repo().metadata().get(alice, MetadataStore.Target.ITEM, copied.id()))
                .containsEntry("site", new MetadataValue.Text("Lyon"));
        assertArcaError(() -> folders.copy(alice, src.id(), inner.id(), null), "copy_into_own_subtree");
    }

    @Test
    void deletingNeedsRecursiveWhenNotEmpty() {
        Folder project = folders.createCollection(alice, "Deletes", null);
        Folder full = folders.create(alice, project.id(), "full", null);
        Folder deep = folders.create(alice, full.id(), "deep", null);
        Item item = test.upload(alice, deep.id(), "x.txt", "x");

        assertArcaError(() -> folders.delete(alice, full.id(), false), "folder_not_empty");
        assertThat(test.repo().items().get(alice, item.id()).name()).isEqualTo("x.txt");

        folders.delete(alice, full.id(), true);

        assertArcaError(() -> folders.get(alice, deep.id()));
        assertArcaError(() -> test.repo().items().get(alice, item.id()), ArcaException.Kind.NOT_FOUND);
        assertThat(folders.children(alice, project.id(), 10, 0).total()).isZero();
    }

    @Test
    void aWriterRemovesAnEmptyFolderButNotASubtreeAFolderWithGrantsOrACollection() {
        Caller wendy = test.user("wendy");
        Caller rita = test.user("rita");
        Folder project = folders.createCollection(alice, "Writers remove", null);
        test.repo().access().setAcl(alice, project.id(), List.of(new AclEntry("user:alice", AccessLevel.ADMIN),
                new AclEntry("user:wendy", AccessLevel.WRITE),
                new AclEntry("user:rita", AccessLevel.READ)));
        Folder empty = folders.create(wendy, project.id(), "empty", null);
        Folder full = folders.create(alice, project.id(), "full", null);
        test.upload(alice, full.id(), "kept.txt", "kept");
        Folder granted = folders.create(alice, project.id(), "granted", null);
        test.repo().access().setAcl(alice, granted.id(), List.of(new AclEntry("user:rita", AccessLevel.WRITE)));
        Folder emptyProject = folders.createCollection(alice, "Writers remove, empty", null);
        test.repo().access().setAcl(alice, emptyProject.id(), List.of(new AclEntry("user:alice", AccessLevel.ADMIN),
                new AclEntry("user:wendy", AccessLevel.WRITE)));

        assertArcaError(() -> folders.delete(rita, empty.id(), false), ArcaException.Kind.FORBIDDEN); // READ only
        assertArcaError(() -> folders.delete(wendy, full.id(), true), ArcaException.Kind.FORBIDDEN); // a subtree
        assertArcaError(() -> folders.delete(wendy, full.id(), false), "folder_not_empty");
        assertArcaError(() -> folders.delete(wendy, granted.id(), false), ArcaException.Kind.FORBIDDEN); // grants of its own
        assertArcaError(() -> folders.delete(rita, granted.id(), false), ArcaException.Kind.FORBIDDEN); // WRITE granted on the folder itself
        assertArcaError(() -> folders.delete(wendy, emptyProject.id(), false), ArcaException.Kind.FORBIDDEN); // a collection
        assertThat(folders.children(alice, project.id(), 10, 0).folders()).extracting(Folder::name)
                .containsExactlyInAnyOrder("empty", "full", "granted");

        folders.delete(wendy, empty.id(), false);

        assertArcaError(() -> folders.get(alice, empty.id()), ArcaException.Kind.NOT_FOUND);
        assertThat(test.repo().audit().query(Caller.SYSTEM, "wendy", null, null, 100, 0).entries())
                .extracting(AuditEntry::action).contains("folder.delete");
    }

    @Test
    void listenersHearOfEveryCommittedItemChange() {
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        test.repo().items().addListener(e -> heard.add(e.change() + " " + e.item().name()));
        Folder project = folders.createCollection(alice, "Listeners", null);
        Item item = test.upload(alice, project.id(), "heard.txt", "1");
        assertArcaError(() -> test.upload(alice, project.id(), "heard.txt", "again"));
        test.repo().items().delete(alice, item.id());

        assertThat(heard).containsSubsequence("CREATED heard.txt", "DELETED heard.txt");
        assertThat(heard).filteredOn(s -> s.endsWith("heard.txt")).hasSize(2);
    }
}
