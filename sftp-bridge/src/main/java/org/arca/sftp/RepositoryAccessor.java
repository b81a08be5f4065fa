package org.arca.sftp;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Collection;
import java.util.Set;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;

/**
 * Where MINA's SFTP server would reach for {@code FileChannel}s and local-disk helpers, this sends it through
 * the repository's file system instead: byte channels, plain directory streams, moves and deletes by path,
 * and no links of any kind.
 */
final class RepositoryAccessor implements SftpFileSystemAccessor {

    /**
     * Without a handle, MINA opens a file to set its size (SETSTAT with a size): that resizes the file as a whole
     * ({@link RepositoryTree#openToResize}), so a stored file gets its new content and an unfinished upload stays
     * one.
     */
    @Override
    public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
                                        Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        if (fileHandle == null && file instanceof ArcaPath path) {
            return path.getFileSystem().tree().openToResize(path.segments());
        }
        return Files.newByteChannel(file, options);
    }

    @Override
    public DirectoryStream<Path> openDirectory(SftpSubsystemProxy subsystem, DirectoryHandle dirHandle, Path dir,
                                               String handle, LinkOption... linkOptions) throws IOException {
        return Files.newDirectoryStream(dir);
    }

    @Override
    public void removeFile(SftpSubsystemProxy subsystem, Path path, boolean isDirectory) throws IOException {
        Files.delete(path);
    }

    @Override
    public void renameFile(SftpSubsystemProxy subsystem, Path oldPath, Path newPath, Collection<CopyOption> opts)
            throws IOException {
        Files.move(oldPath, newPath, opts.toArray(CopyOption[]::new));
    }

    @Override
    public void createLink(SftpSubsystemProxy subsystem, Path link, Path existing, boolean symLink) throws IOException {
        throw new AccessDeniedException(link.toString(), null, "links are not supported");
    }

    /** Durability comes when the upload is adopted into the blob store, which syncs it. */
    @Override
    public void syncFileData(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle, Channel channel) {
    }
}
