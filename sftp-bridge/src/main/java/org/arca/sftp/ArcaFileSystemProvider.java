package org.arca.sftp;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.spi.FileSystemProvider;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The NIO provider behind every session's {@link ArcaFileSystem}, so MINA's SFTP server can treat the
 * repository as a file system. It only translates: each call resolves the path in the session's
 * {@link RepositoryTree}. Links do not exist here, so nothing can point outside a user's view.
 */
final class ArcaFileSystemProvider extends FileSystemProvider {

    private final Path dataDir;

    /** {@code dataDir} only answers how much space is left ({@code df}). */
    ArcaFileSystemProvider(Path dataDir) {
        this.dataDir = dataDir;
    }

    @Override
    public String getScheme() {
        return "arca-sftp";
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException("sessions make their own file systems");
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        throw new UnsupportedOperationException("sessions make their own file systems");
    }

    @Override
    public Path getPath(URI uri) {
        throw new UnsupportedOperationException("sessions make their own file systems");
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        ArcaPath p = arca(path);
        return p.getFileSystem().tree().open(p.segments(), options);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        ArcaPath p = arca(dir);
        RepositoryTree tree = p.getFileSystem().tree();
        Map<String, Node> entries = tree.list(tree.resolve(p.segments()), p.toString());
        ArcaPath base = (ArcaPath) p.toAbsolutePath().normalize();
        List<Path> paths = entries.entrySet().stream().<Path>map(e -> {
            List<String> names = new java.util.ArrayList<>(base.segments());
            names.add(e.getKey());
            return new ArcaPath(base.getFileSystem(), "/", names, e.getValue());
        }).filter(path -> accepts(filter, path)).toList();
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                return paths.iterator();
            }

            @Override
            public void close() {
            }
        };
    }

    private static boolean accepts(DirectoryStream.Filter<? super Path> filter, Path path) {
        try {
            return filter == null || filter.accept(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        ArcaPath p = arca(dir);
        p.getFileSystem().tree().createDirectory(p.segments());
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        throw new AccessDeniedException(link.toString(), null, "symbolic links are not supported");
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        throw new AccessDeniedException(link.toString(), null, "links are not supported");
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        throw new java.nio.file.NotLinkException(link.toString());
    }

    @Override
    public void delete(Path path) throws IOException {
        ArcaPath p = arca(path);
        p.getFileSystem().tree().delete(p.segments());
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        throw new UnsupportedOperationException("copy on the server is not supported; download and upload instead");
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        ArcaPath from = arca(source);
        boolean replace = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING);
        from.getFileSystem().tree().rename(from.segments(), arca(target).segments(), replace);
    }

    @Override
    public boolean isSameFile(Path path, Path path2) {
        return arca(path).toAbsolutePath().normalize().equals(arca(path2).toAbsolutePath().normalize());
    }

    @Override
    public boolean isHidden(Path path) {
        return false;
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        return Files.getFileStore(dataDir);
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        Node node = node(arca(path));
        if (Arrays.asList(modes).contains(AccessMode.WRITE) && !node.writable()) {
            throw new AccessDeniedException(path.toString());
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        if (!type.isAssignableFrom(TimesView.class)) {
            return null;
        }
        return (V) new TimesView(arca(path));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options) throws IOException {
        if (!type.isAssignableFrom(NodeAttributes.class)) {
            throw new UnsupportedOperationException("no " + type.getSimpleName() + " here");
        }
        return (A) attributes(arca(path));
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        Map<String, Object> all = attributes(arca(path)).asMap();
        String wanted = attributes.substring(attributes.indexOf(':') + 1);
        if (wanted.equals("*")) {
            return all;
        }
        Map<String, Object> some = new java.util.LinkedHashMap<>();
        for (String name : wanted.split(",")) {
            if (all.containsKey(name)) {
                some.put(name, all.get(name));
            }
        }
        return some;
    }

    /**
     * Times and permissions clients set after an upload ({@code put -p}, FileZilla) are accepted and not
     * kept: an item's time is when it was stored, as on every other surface.
     */
    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        node(arca(path));
    }

    private NodeAttributes attributes(ArcaPath path) throws IOException {
        return new NodeAttributes(node(path), path.getFileSystem().tree().caller().login());
    }

    private static Node node(ArcaPath path) throws IOException {
        if (path.listed() != null) {
            return path.listed();
        }
        return path.getFileSystem().tree().resolve(path.segments());
    }

    private static ArcaPath arca(Path path) {
        if (path instanceof ArcaPath p) {
            return p;
        }
        throw new ProviderMismatchException();
    }

    /** The view {@code Files.setLastModifiedTime} and friends use; like {@link #setAttribute}, it keeps nothing. */
    private final class TimesView implements BasicFileAttributeView {
        private final ArcaPath path;

        TimesView(ArcaPath path) {
            this.path = path;
        }

        @Override
        public String name() {
            return "basic";
        }

        @Override
        public PosixFileAttributes readAttributes() throws IOException {
            return attributes(path);
        }

        @Override
        public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) throws IOException {
            node(path);
        }
    }
}
