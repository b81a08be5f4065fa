package org.arca.sftp;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.extensions.openssh.AbstractOpenSSHExtensionParser.OpenSSHExtension;
import org.apache.sshd.sftp.server.SftpSubsystem;
import org.apache.sshd.sftp.server.SftpSubsystemConfigurator;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * MINA's SFTP subsystem with two additions. Its requests and its end wait for the session's uploads still
 * being stored ({@link Adoptions}). And it answers OpenSSH's {@code statvfs@openssh.com} extension, which
 * {@code df} in OpenSSH's {@code sftp} sends and MINA 2.20 answers "unsupported" (and does not announce). The
 * figures are those of the file system holding the data folder, where uploads land; a path the caller may not
 * see is "no such file" here as everywhere.
 */
final class StatVfsSubsystem extends SftpSubsystem {

    static final String STATVFS = "statvfs@openssh.com";
    /** {@code sftp -f} sends it for each file before closing it: it must not wait for the files before. */
    private static final String FSYNC = "fsync@openssh.com";
    private static final long DEFAULT_BLOCK = 4096;
    private static final long NAME_MAX = 255;

    /** Makes {@link StatVfsSubsystem}s, with the listeners registered on it, as its parent makes plain ones. */
    static final class Factory extends SftpSubsystemFactory {
        @Override
        public Command createSubsystem(ChannelSession channel) throws IOException {
            StatVfsSubsystem subsystem = new StatVfsSubsystem(channel, this);
            getRegisteredListeners().forEach(subsystem::addSftpEventListener);
            return subsystem;
        }
    }

    private StatVfsSubsystem(ChannelSession channel, SftpSubsystemConfigurator configurator) {
        super(channel, configurator);
    }

    /**
     * The session's end waits for its uploads still being stored ({@link Adoptions}): MINA calls this after
     * closing the handles and before closing the channel, so a client that exits has its files as items.
     */
    @Override
    public void setExitCallback(ExitCallback callback) {
        super.setExitCallback((exitValue, exitMessage, closeImmediately) -> {
            if (fileSystem instanceof ArcaFileSystem arca) {
                arca.tree().close();
            }
            callback.onExit(exitValue, exitMessage, closeImmediately);
        });
    }

    /**
     * Every request but those that carry a file's bytes (opening, writing, reading, closing, fsync and the
     * handle's own attributes) first waits for the session's uploads still being stored, and is answered with
     * the refusal of one of them if there was one: here, because MINA answers some requests (stat among them)
     * after calls that swallow a file system's errors.
     */
    @Override
    protected void doProcess(Buffer buffer, int length, int type, int id) throws IOException {
        if (fileSystem instanceof ArcaFileSystem arca && waitsForUploads(buffer, type)) {
            try {
                arca.tree().settle();
            } catch (IOException e) {
                // Our own text: MINA's would be a fixed "General failure", naming no file.
                sendStatus(prepareReply(buffer), id, SftpConstants.SSH_FX_FAILURE, e.getMessage(), "");
                return;
            }
        }
        super.doProcess(buffer, length, type, id);
    }

    private static boolean waitsForUploads(Buffer buffer, int type) {
        return switch (type) {
            case SftpConstants.SSH_FXP_INIT, SftpConstants.SSH_FXP_OPEN, SftpConstants.SSH_FXP_CLOSE,
                 SftpConstants.SSH_FXP_READ, SftpConstants.SSH_FXP_WRITE, SftpConstants.SSH_FXP_FSTAT,
                 SftpConstants.SSH_FXP_FSETSTAT -> false;
            case SftpConstants.SSH_FXP_EXTENDED -> {
                int at = buffer.rpos();
                String extension = buffer.getString();
                buffer.rpos(at);
                yield !FSYNC.equals(extension);
            }
            default -> true;
        };
    }

    /** Announced in the version reply: OpenSSH's client asks only servers that list it. */
    @Override
    protected List<OpenSSHExtension> resolveOpenSSHExtensions(ServerSession session) {
        List<OpenSSHExtension> extensions = new ArrayList<>(super.resolveOpenSSHExtensions(session));
        extensions.add(new OpenSSHExtension(STATVFS, "2"));
        return extensions;
    }

    @Override
    protected void executeExtendedCommand(Buffer buffer, int id, String extension) throws IOException {
        if (!STATVFS.equals(extension)) {
            super.executeExtendedCommand(buffer, id, extension);
            return;
        }
        String path = buffer.getString();
        FileStore store;
        try {
            Path file = resolveFile(path);
            Files.readAttributes(file, BasicFileAttributes.class); // hidden or missing: no such file
            store = Files.getFileStore(file);
        } catch (IOException | RuntimeException e) {
            sendStatus(prepareReply(buffer), id, e, SftpConstants.SSH_FXP_EXTENDED, extension);
            return;
        }
        Buffer reply = prepareReply(buffer);
        reply.putByte((byte) SftpConstants.SSH_FXP_EXTENDED_REPLY);
        reply.putUInt(id);
        long block = blockSize(store);
        // struct statvfs as OpenSSH's PROTOCOL file lays it out, every field a uint64.
        reply.putLong(block); // f_bsize
        reply.putLong(block); // f_frsize: the unit of the counts below
        reply.putLong(store.getTotalSpace() / block); // f_blocks
        reply.putLong(store.getUnallocatedSpace() / block); // f_bfree
        reply.putLong(store.getUsableSpace() / block); // f_bavail
        reply.putLong(0); // f_files: a repository has no inode count to offer
        reply.putLong(0); // f_ffree
        reply.putLong(0); // f_favail
        reply.putLong(0); // f_fsid
        reply.putLong(0); // f_flag: neither read-only nor nosuid; the ACL decides what may be written
        reply.putLong(NAME_MAX); // f_namemax, in bytes, as the repository's names
        send(reply);
    }

    private static long blockSize(FileStore store) {
        try {
            long size = store.getBlockSize();
            return size > 0 ? size : DEFAULT_BLOCK;
        } catch (IOException | UnsupportedOperationException e) {
            return DEFAULT_BLOCK;
        }
    }
}
