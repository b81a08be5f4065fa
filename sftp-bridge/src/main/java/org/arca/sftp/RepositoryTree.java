package org.arca.sftp;

import java.io.IOException;
import java.net.URLConnection;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.arca.core.ArcaException;
import org.arca.core.Children;
import org.arca.core.Folder;
import org.arca.core.Item;
import org.arca.core.ItemStore;
import org.arca.core.Repository;
import org.arca.core.access.Caller;
import org.arca.core.blob.BlobStore;
import org.arca.sftp.Node.FolderNode;
import org.arca.sftp.Node.ItemNode;
import org.arca.sftp.Node.PartialNode;
import org.arca.sftp.Node.Top;

/**
 * One signed-in user's view of the repository as a tree of names: {@code /collections/<collection>/<folders>}
 * and {@code /home}. It decides nothing about access: every lookup and change is a call to the repository's
 * services (FolderTree, ItemStore), which check access there, so a hidden folder is "no such file" here
 * exactly when it is 404 on the web.
 *
 * <p>Longer than most classes here because it is the one translation of every SFTP file operation (resolve, list,
 * open, close, mkdir, rename, remove, stat) into repository calls; the session-level parts (flow control, partial
 * uploads, errors) are classes of their own.
 */
final class RepositoryTree {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RepositoryTree.class);

    static final String COLLECTIONS = "collections";
    static final String HOME = "home";
    /** Deeper or longer paths than any client needs are refused before any lookup. */
    private static final int MAX_DEPTH = 64;
    private static final int MAX_PATH_BYTES = 4096;
    private static final int PAGE = 1000;

    private final Repository repo;
    private final Caller caller;
    private final PartialUploads uploads;
    /** Where uploads flush their bytes to disk while they arrive ({@link Writeback}). */
    private final Executor flushes;
    /** Where closed uploads become items, with those of the caller's other sessions closing at the same time. */
    /** Found by name once per session: every path under /home starts here, and the name lookup is a query each time. */
    private volatile String homeId;
    /**
     * The folders of the directories this session wrote into, by path: a client uploading a tree opens every
     * file by its full path, and finding its folder again costs a query per segment. Kept while no folder was
     * renamed, moved or deleted and no grant changed ({@link org.arca.core.access.AccessControl#version}); the
     * folder's own access is still checked at each open.
     */
    private final ResolvedFolders folderIds = new ResolvedFolders();

    RepositoryTree(Repository repo, Caller caller, PartialUploads uploads, Executor flushes) {
        this.repo = repo;
        this.caller = caller;
        this.uploads = uploads;
        this.flushes = flushes;
    }

    Caller caller() {
        return caller;
    }

    /** The node at a path. */
    Node resolve(List<String> path) throws IOException {
        String shown = shown(path);
        if (path.size() > MAX_DEPTH || shown.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new FileSystemException(shown, null, "the path is too long");
        }
        if (path.isEmpty()) {
            return new Top("");
        }
        return SftpErrors.call(shown, () -> {
            Node node = top(path.get(0), shown);
            for (String name : path.subList(1, path.size())) {
                node = child(node, name).orElseThrow(() -> new NoSuchFileException(shown));
            }
            return node;
        });
    }

    /** The entries of a directory, by name; folders first, as the web lists them. */
    Map<String, Node> list(Node dir, String shown) throws IOException {
        return SftpErrors.call(shown, () -> {
            Map<String, Node> entries = new LinkedHashMap<>();
            switch (dir) {
                case Top top when top.name().isEmpty() -> {
                    entries.put(COLLECTIONS, new Top(COLLECTIONS));
                    entries.put(HOME, new FolderNode(home()));
                }
                case Top top -> repo.folders().collections(caller).forEach(c -> entries.put(c.name(), new FolderNode(c)));
                case FolderNode folder -> listFolder(folder.folder().id(), entries);
                default -> throw new java.nio.file.NotDirectoryException(shown);
            }
            return entries;
        });
    }

    private void listFolder(String folderId, Map<String, Node> entries) throws IOException {
        for (int offset = 0; ; offset += PAGE) {
            Children page = repo.folders().children(caller, folderId, PAGE, offset);
            page.folders().forEach(f -> entries.put(f.name(), new FolderNode(f)));
            page.items().forEach(i -> entries.put(i.name(), new ItemNode(i)));
            if (offset + PAGE >= page.total()) {
                break;
            }
        }
        for (PartialUploads.Partial partial : uploads.in(caller.userId(), folderId)) {
            entries.putIfAbsent(partial.name(), new PartialNode(partial));
        }
    }

    /** Opens a file: reading needs READ on its folder, writing WRITE (checked before the first byte). */
    SeekableByteChannel open(List<String> path, Set<? extends OpenOption> options) throws IOException {
        String shown = shown(path);
        boolean write = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
        if (!write) {
            Node node = resolve(path);
            return switch (node) {
                case ItemNode item -> SftpErrors.call(shown, () -> FileChannel.open(
                        repo.items().content(caller, item.item().id(), null).path(), StandardOpenOption.READ));
                case PartialNode partial -> FileChannel.open(partial.partial().file(), StandardOpenOption.READ);
                default -> throw new FileSystemException(shown, null, "not a file");
            };
        }
        String folderId = parentFolder(path, shown);
        String name = path.get(path.size() - 1);
        return SftpErrors.call(shown, () -> openForWrite(folderId, name, options, shown));
    }

    /**
     * Opens a file to set its size (SETSTAT with a size, {@code truncate}): the user's unfinished upload of that
     * name is resized and stays unfinished, for the client to go on writing it (resuming tools truncate a partial
     * to what they trust); a stored file gets the resized content as a new upload, stored when the channel closes,
     * so the item itself changes and no unfinished upload is left beside it.
     */
    SeekableByteChannel openToResize(List<String> path) throws IOException {
        String shown = shown(path);
        Node node = resolve(path);
        if (!(node instanceof ItemNode || node instanceof PartialNode)) {
            throw new FileSystemException(shown, null, "not a file");
        }
        String folderId = parentFolder(path, shown);
        String name = path.get(path.size() - 1);
        if (node instanceof ItemNode) {
            // The stored file is what the path shows, so it is what is resized: an unfinished upload of the same
            // name, hidden behind it, would otherwise be resized and stored in its place.
            uploads.discard(caller.userId(), folderId, name);
        }
        SeekableByteChannel channel = SftpErrors.call(shown, () -> openForWrite(folderId, name,
                Set.of(StandardOpenOption.WRITE), shown));
        if (node instanceof ItemNode && channel instanceof UploadChannel upload) {
            upload.markComplete();
        }
        return channel;
    }

    private SeekableByteChannel openForWrite(String folderId, String name, Set<? extends OpenOption> options, String shown)
            throws IOException {
        Optional<PartialUploads.Partial> partial = uploads.find(caller.userId(), folderId, name);
        // Refused (hidden folder, no WRITE, a folder of that name) before anything is created.
        Optional<Item> item = repo.items().checkReplaceableUpload(caller, folderId, name);
        boolean exists = partial.isPresent() || item.isPresent();
        if (options.contains(StandardOpenOption.CREATE_NEW) && exists) {
            throw new FileAlreadyExistsException(shown);
        }
        if (!exists && !options.contains(StandardOpenOption.CREATE) && !options.contains(StandardOpenOption.CREATE_NEW)) {
            throw new NoSuchFileException(shown);
        }
        boolean truncate = options.contains(StandardOpenOption.TRUNCATE_EXISTING);
        PartialUploads.Writing started = uploads.begin(caller.userId(), folderId, name, truncate);
        FileChannel channel = started.channel();
        try {
            if (!truncate && partial.isEmpty() && item.isPresent()) {
                // Writing into an existing file without truncating keeps its other bytes, as on a disk.
                try (FileChannel existing = FileChannel.open(repo.items().content(caller, item.get().id(), null).path(),
                        StandardOpenOption.READ)) {
                    long size = existing.size();
                    for (long at = 0; at < size; ) {
                        at += channel.transferFrom(existing, at, size - at);
                    }
                }
            }
            return new UploadChannel(channel, started.partial(), uploads, repo.items().maxUploadBytes(), flushes,
                    (done, hashed) -> store(done, folderId, name, hashed, shown));
        } catch (IOException | RuntimeException e) {
            channel.close();
            uploads.release(started.partial());
            throw e;
        }
    }

    /**
     * Makes an upload the client closed complete an item, and returns once it is one: its bytes moved into the
     * blob store durably, then its item committed ({@link org.arca.core.PutBatcher}). Nothing of the partial stays, stored or
     * refused; a refusal (access revoked or a folder of that name made during the upload) is thrown for the close.
     */
    private void store(PartialUploads.Partial partial, String folderId, String name, BlobStore.Blob hashed, String shown)
            throws IOException {
        try {
            BlobStore.Blob blob = hashed != null ? repo.blobs().adopt(partial.file(), hashed) : repo.blobs().adopt(partial.file());
            // The batcher commits closes that arrive together (parallel transfers of FileZilla, WinSCP, rclone) in one
            // transaction and sync; a close that finds none running is committed at once.
            ItemStore.PutResult stored = repo.batcher().put(caller, new ItemStore.Put(folderId, name, mediaType(name), blob));
            if (stored.refusal() != null) {
                throw stored.refusal();
            }
        } catch (RuntimeException e) {
            // A blob no item names is collected by gc.
            throw notStored(shown, e);
        } finally {
            forget(partial);
        }
    }

    /** Ends a partial whose bytes were stored or refused; what cannot be removed now, the sweep removes later. */
    private void forget(PartialUploads.Partial partial) {
        try {
            uploads.finish(partial);
        } catch (IOException e) {
            LOG.warn("an SFTP upload's partial file could not be removed: {}", e.getClass().getName());
        }
    }

    /**
     * The close's answer when an upload is not stored: the repository's reason, which is written for users, or for
     * a fault a sentence of our own, since its text (SQL, a driver's message quoting values) is for no one; its
     * class is logged to find it, not the name, which may be PHI.
     */
    private static UploadNotStored notStored(String shown, RuntimeException e) {
        if (e instanceof ArcaException refusal) {
            // An ingest rule's reasons name what to fix (never a value), so the client's log can say it.
            return new UploadNotStored(shown, refusal.messageWithReasons());
        }
        LOG.warn("an SFTP upload could not be stored: {}", e.getClass().getName());
        return new UploadNotStored(shown, "the server could not store it");
    }

    void createDirectory(List<String> path) throws IOException {
        String shown = shown(path);
        if (path.isEmpty()) {
            throw new FileAlreadyExistsException(shown);
        }
        Node parent = resolve(path.subList(0, path.size() - 1));
        String name = path.get(path.size() - 1);
        SftpErrors.call(shown, () -> switch (parent) {
            case Top top when top.name().equals(COLLECTIONS) -> repo.folders().createCollection(caller, name, null);
            case FolderNode folder -> repo.folders().create(caller, folder.folder().id(), name, null);
            default -> throw new AccessDeniedException(shown, null, "nothing can be made here");
        });
    }

    void delete(List<String> path) throws IOException {
        String shown = shown(path);
        Node node = resolve(path);
        SftpErrors.call(shown, () -> {
            switch (node) {
                case ItemNode item -> repo.items().delete(caller, item.item().id());
                case FolderNode folder when !isHome(path) -> {
                    repo.folders().delete(caller, folder.folder().id(), false);
                    // Unfinished uploads are not items, so the folder was empty without them; they go with it.
                    uploads.discardIn(folder.folder().id());
                }
                case PartialNode partial -> uploads.finish(partial.partial());
                default -> throw new AccessDeniedException(shown, null, "this cannot be removed");
            }
            return null;
        });
    }

    /** Renames or moves a file or folder; with {@code replace} an existing file at the target goes first. */
    void rename(List<String> from, List<String> to, boolean replace) throws IOException {
        String shownTo = shown(to);
        Node source = resolve(from);
        if (to.isEmpty() || isHome(from) || from.size() <= 1) {
            throw new AccessDeniedException(shown(from), shownTo, "this cannot be renamed");
        }
        Node targetParent = resolve(to.subList(0, to.size() - 1));
        String newName = to.get(to.size() - 1);
        Optional<Node> existing = SftpErrors.call(shownTo, () -> child(targetParent, newName));
        if (existing.isPresent()) {
            if (!replace || !(existing.get() instanceof ItemNode) || !(source instanceof ItemNode)) {
                throw new FileAlreadyExistsException(shownTo);
            }
            delete(to);
        }
        SftpErrors.call(shownTo, () -> {
            switch (source) {
                case ItemNode item -> {
                    String target = folderOf(targetParent, shownTo);
                    if (!target.equals(item.item().folderId())) {
                        repo.items().move(caller, item.item().id(), target);
                    }
                    if (!newName.equals(item.item().name())) {
                        repo.items().update(caller, item.item().id(), newName, null);
                    }
                }
                case FolderNode folder -> {
                    if (!folder.folder().isCollection()) {
                        String target = folderOf(targetParent, shownTo);
                        if (!target.equals(folder.folder().parentId())) {
                            repo.folders().move(caller, folder.folder().id(), target);
                        }
                    } else if (!(targetParent instanceof Top top && top.name().equals(COLLECTIONS))) {
                        throw new AccessDeniedException(shownTo, null, "a collection stays a collection");
                    }
                    if (!newName.equals(folder.folder().name())) {
                        repo.folders().update(caller, folder.folder().id(), newName, null);
                    }
                }
                default -> throw new AccessDeniedException(shown(from), shownTo, "finish the upload before renaming it");
            }
            return null;
        });
    }

    /** The user's home, by its id once known; read again each time, so access and renames show at once. */
    private Folder home() {
        String id = homeId;
        if (id != null) {
            try {
                return repo.folders().get(caller, id);
            } catch (ArcaException e) {
                if (e.kind() != ArcaException.Kind.NOT_FOUND) {
                    throw e;
                }
                // Deleted meanwhile: made again below, as on first use.
            }
        }
        Folder home = repo.folders().home(caller);
        homeId = home.id();
        return home;
    }

    private Node top(String name, String shown) throws IOException {
        return switch (name) {
            case COLLECTIONS -> new Top(COLLECTIONS);
            case HOME -> new FolderNode(home());
            default -> throw new NoSuchFileException(shown);
        };
    }

    private Optional<Node> child(Node parent, String name) throws IOException {
        if (!RepositoryTree.plausibleName(name)) {
            return Optional.empty();
        }
        return switch (parent) {
            case Top top when top.name().isEmpty() -> Optional.of(top(name, name));
            case Top top -> repo.folders().collections(caller).stream().filter(c -> c.name().equals(name)).findFirst()
                    .map(FolderNode::new);
            case FolderNode folder -> childOf(folder.folder(), name);
            default -> Optional.empty();
        };
    }

    private Optional<Node> childOf(Folder folder, String name) {
        Optional<Folder> sub = repo.folders().find(caller, folder.id(), name);
        if (sub.isPresent()) {
            return Optional.of(new FolderNode(sub.get()));
        }
        Optional<Item> item = repo.items().find(caller, folder.id(), name);
        if (item.isPresent()) {
            return Optional.of(new ItemNode(item.get()));
        }
        return uploads.find(caller.userId(), folder.id(), name).map(PartialNode::new);
    }

    private String parentFolder(List<String> path, String shown) throws IOException {
        if (path.isEmpty()) {
            throw new FileSystemException(shown, null, "not a file");
        }
        List<String> parent = List.copyOf(path.subList(0, path.size() - 1));
        // Read before resolving: a change committed meanwhile moves it on, and what this finds is not kept.
        long version = repo.access().version();
        String known = folderIds.get(parent, version);
        if (known != null) {
            return known;
        }
        String folderId = folderOf(resolve(parent), shown);
        folderIds.put(parent, folderId, version);
        return folderId;
    }

    private static String folderOf(Node node, String shown) throws IOException {
        if (node instanceof FolderNode folder) {
            return folder.folder().id();
        }
        throw new AccessDeniedException(shown, null, "files live in collections and folders, not here");
    }

    private static boolean isHome(List<String> path) {
        return path.size() == 1 && path.get(0).equals(HOME);
    }

    /** Names the repository could never hold are simply not there; creating one is refused by the core. */
    private static boolean plausibleName(String name) {
        return !name.isEmpty() && name.getBytes(StandardCharsets.UTF_8).length <= 255 && name.chars().noneMatch(Character::isISOControl);
    }

    static String mediaType(String name) {
        if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".dcm")) {
            return "application/dicom";
        }
        String guessed = URLConnection.guessContentTypeFromName(name);
        return guessed == null ? "application/octet-stream" : guessed;
    }

    private static String shown(List<String> path) {
        return "/" + String.join("/", path);
    }
}
