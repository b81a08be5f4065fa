package org.arca.core.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.arca.core.ArcaException;

/**
 * Blobs as files under one folder: {@code ab/cd/abcd…} by SHA-256. A write goes to {@code .tmp/},
 * is fsynced, then renamed atomically into place, and the folder is fsynced so the rename survives a crash.
 *
 * <p>Longer than most classes here because the durability protocol (write, force, rename, force the folder, in the
 * right order, pipelined for large writes) must be read in one place to be checked; the pipelined sink is
 * {@link PipelinedFileSink}.
 */
public final class FileBlobStore implements BlobStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER = 1 << 20;
    /**
     * Temporary files of writes under way in this JVM, by absolute path, across every store (two stores may share a
     * folder). A sweep must not even open these: closing any channel onto a file drops every lock this process
     * holds on it, the writer's included.
     */
    private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

    private final Path root;
    private final Path tmp;
    private final AtomicLong storedBytes = new AtomicLong();
    /**
     * Shard folders (the first four hex digits) known to exist. Asking to create one that exists costs a failed
     * mkdir and an exception, per blob; nothing here removes them, and a move that finds one gone makes it again.
     */
    private final Set<String> shards = ConcurrentHashMap.newKeySet();

    public FileBlobStore(Path root) {
        this.root = root;
        this.tmp = root.resolve(".tmp");
        try {
            Files.createDirectories(tmp);
            // Nothing of this process writes yet, and a write of another process (a server beside a command on
            // PostgreSQL) holds its file's lock: every other temporary is left by a write that will never finish.
            removeTemporaries(Duration.ZERO);
            try (Stream<StoredBlob> blobs = list()) {
                storedBytes.set(blobs.mapToLong(StoredBlob::size).sum());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the blob store at " + root, e);
        }
    }

    @Override
    public Blob write(InputStream in, long expectedLength, long maxBytes) {
        try (FileWriter writer = new FileWriter(maxBytes, expectedLength)) {
            writer.readFrom(in);
            if (expectedLength >= 0 && writer.total != expectedLength) {
                throw new ArcaException(ArcaException.Kind.INCOMPLETE, "incomplete_upload",
                        "The upload ended after " + writer.total + " of " + expectedLength + " bytes; nothing was stored.");
            }
            return writer.finish();
        }
    }

    @Override
    public Writer writer(long maxBytes) {
        return new FileWriter(maxBytes, -1);
    }

    /**
     * A temporary file fed through a {@link PipelinedFileSink}, so hashing and writing overlap the receiving;
     * {@link #finish()} forces it to disk and renames it to its content address.
     */
    private final class FileWriter implements Writer {
        private final long maxBytes;
        private final long expectedLength;
        private Path temp;
        private final FileChannel out;
        private final PipelinedFileSink sink;
        private byte[] current;
        private int filled;
        private long total;
        private boolean finished;

        FileWriter(long maxBytes, long expectedLength) {
            this.maxBytes = maxBytes;
            this.expectedLength = expectedLength;
            try {
                out = openTemporary();
            } catch (IOException e) {
                forget(temp);
                throw new UncheckedIOException("cannot create a temporary file in " + tmp, e);
            }
            sink = new PipelinedFileSink(out, sha256(), BUFFER);
        }

        /** Reads the stream to its end straight into the sink's buffers (no copy). */
        void readFrom(InputStream in) {
            try {
                while (true) {
                    byte[] buffer = sink.buffer();
                    int n = in.readNBytes(buffer, 0, buffer.length);
                    if (n == 0) {
                        return;
                    }
                    count(n);
                    sink.submit(buffer, n);
                    if (n < buffer.length) {
                        return;
                    }
                }
            } catch (IOException e) {
                throw interrupted(e);
            }
        }

        /**
         * Creates the temporary file and holds an exclusive lock on it while this write lives, which tells a sweep
         * in another process to leave it. A sweep may remove the file in the moment before the lock is taken (it
         * deletes only while holding a lock itself), so a file found gone once locked is made again under a new name.
         */
        private FileChannel openTemporary() throws IOException {
            while (true) {
                temp = tmp.resolve("upload-" + java.util.UUID.randomUUID() + ".part").toAbsolutePath().normalize();
                WRITING.add(temp);
                FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                try {
                    channel.lock();
                    if (Files.exists(temp)) {
                        return channel;
                    }
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                channel.close();
                WRITING.remove(temp);
            }
        }

        @Override
        public void write(ByteBuffer bytes) {
            try {
                while (bytes.hasRemaining()) {
                    if (current == null) {
                        current = sink.buffer();
                        filled = 0;
                    }
                    int n = Math.min(bytes.remaining(), current.length - filled);
                    count(n);
                    bytes.get(current, filled, n);
                    filled += n;
                    if (filled == current.length) {
                        sink.submit(current, filled);
                        current = null;
                    }
                }
            } catch (IOException e) {
                throw interrupted(e);
            }
        }

        private void count(int n) {
            total += n;
            if (total > maxBytes || (expectedLength >= 0 && total > expectedLength)) {
                throw new ArcaException(ArcaException.Kind.TOO_LARGE, "too_large",
                        "The upload is larger than " + (expectedLength >= 0 && expectedLength < maxBytes
                                ? "its declared length" : "the limit of " + maxBytes + " bytes") + ".");
            }
        }

        @Override
        public Blob finish() {
            try {
                if (current != null && filled > 0) {
                    sink.submit(current, filled);
                    current = null;
                }
                String sha = sink.finish();
                if (!Files.exists(path(sha))) {
                    // Bytes already stored need no second fsync: this copy is dropped in place().
                    out.force(true);
                }
                // Moved while still open and locked: closed first, a sweep elsewhere could take it on the way.
                Blob blob = place(temp, sha, total);
                out.close();
                forget(temp);
                temp = null;
                finished = true;
                return blob;
            } catch (IOException e) {
                throw interrupted(e);
            }
        }

        @Override
        public void close() {
            if (!finished) {
                sink.close();
                try {
                    out.close();
                } catch (IOException ignored) {
                    // the file is deleted next
                }
                deleteQuietly(temp);
                forget(temp);
            }
        }

        private static ArcaException interrupted(IOException e) {
            return new ArcaException(ArcaException.Kind.INCOMPLETE, "incomplete_upload",
                    "The upload was interrupted; nothing was stored.", e);
        }
    }

    @Override
    public Blob adopt(Path file) {
        try {
            MessageDigest digest = sha256();
            long total = 0;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
                while (channel.read(buffer.clear()) > 0) {
                    buffer.flip();
                    total += buffer.remaining();
                    digest.update(buffer);
                }
                channel.force(true);
            }
            return place(file, HexFormat.of().formatHex(digest.digest()), total);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + file.getFileName(), e);
        }
    }

    @Override
    public Blob adopt(Path file, Blob hashed) {
        if (!SHA256.matcher(hashed.sha256()).matches()) {
            throw new IllegalArgumentException("not a SHA-256: " + hashed.sha256());
        }
        try {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                if (channel.size() != hashed.size()) {
                    throw new ArcaException(ArcaException.Kind.INCOMPLETE, "incomplete_upload", "The file has "
                            + channel.size() + " bytes where " + hashed.size() + " were hashed; nothing was stored.");
                }
                if (!Files.exists(path(hashed.sha256()))) {
                    // Bytes already stored need no second fsync: this copy is dropped in place().
                    channel.force(true);
                }
            }
            return place(file, hashed.sha256(), hashed.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + file.getFileName(), e);
        }
    }

    /** Moves a durable temporary file to its content address; if the blob exists already the copy is dropped. */
    private Blob place(Path temp, String sha, long size) throws IOException {
        Path target = path(sha);
        if (Files.exists(target)) {
            Files.deleteIfExists(temp);
            return new Blob(sha, size);
        }
        String shard = sha.substring(0, 4);
        if (!shards.contains(shard)) {
            Files.createDirectories(target.getParent());
            shards.add(shard);
        }
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                // The shard folder was removed from outside: made again once.
                Files.createDirectories(target.getParent());
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(temp);
            return new Blob(sha, size);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the blob folder must be on one file system", e);
        }
        fsyncDirectory(target.getParent());
        storedBytes.addAndGet(size);
        return new Blob(sha, size);
    }

    @Override
    public Path path(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256: " + sha256);
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    @Override
    public InputStream open(String sha256) throws IOException {
        return Files.newInputStream(path(sha256));
    }

    @Override
    public boolean exists(String sha256) {
        return Files.exists(path(sha256));
    }

    @Override
    public Stream<StoredBlob> list() throws IOException {
        return Files.find(root, 3, (p, attrs) -> attrs.isRegularFile() && SHA256.matcher(p.getFileName().toString()).matches()
                        && !p.startsWith(tmp))
                .map(p -> {
                    try {
                        return new StoredBlob(p.getFileName().toString(), Files.size(p),
                                Files.getLastModifiedTime(p).toInstant());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    @Override
    public boolean verify(String sha256) throws IOException {
        MessageDigest digest = sha256();
        try (FileChannel channel = FileChannel.open(path(sha256), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
            while (channel.read(buffer.clear()) > 0) {
                buffer.flip();
                digest.update(buffer);
            }
        }
        return HexFormat.of().formatHex(digest.digest()).equals(sha256);
    }

    @Override
    public void delete(String sha256) throws IOException {
        Path p = path(sha256);
        try {
            long size = Files.size(p);
            Files.delete(p);
            storedBytes.addAndGet(-size);
        } catch (NoSuchFileException e) {
            // already gone: deleting is idempotent
        }
    }

    @Override
    public long storedBytes() {
        return storedBytes.get();
    }

    @Override
    public int removeTemporaries(Duration olderThan) throws IOException {
        Instant cutoff = Instant.now().minus(olderThan);
        int removed = 0;
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (!WRITING.contains(file.toAbsolutePath().normalize()) && modifiedBefore(file, cutoff) && deleteUnlessLocked(file)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    private static boolean modifiedBefore(Path file, Instant cutoff) throws IOException {
        try {
            return !Files.getLastModifiedTime(file).toInstant().isAfter(cutoff);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Deletes the file unless a writer in another process holds its lock; the shared lock taken here keeps one out. */
    private static boolean deleteUnlessLocked(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.tryLock(0, Long.MAX_VALUE, true) == null) {
                return false;
            }
            return Files.deleteIfExists(file);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static void forget(Path temp) {
        if (temp != null) {
            WRITING.remove(temp);
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open folders for sync; the file itself is already forced.
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temporary is removed at the next start
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
