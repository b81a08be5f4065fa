package org.arca.sftp;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.io.IoUtils;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.extensions.openssh.AbstractOpenSSHExtensionParser.OpenSSHExtension;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpSubsystem;
import org.apache.sshd.sftp.server.SftpSubsystemConfigurator;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * MINA's SFTP subsystem with three additions. Before each request it asks whether the credential the session
 * signed in with still holds ({@link SessionCredential}), and ends the session when it does not. A size set on an
 * open upload (FSETSTAT) resizes that upload, where MINA would open the file a second time. And it answers
 * OpenSSH's {@code statvfs@openssh.com} extension, which {@code df} in OpenSSH's {@code sftp} sends and MINA 2.20
 * answers "unsupported" (and does not announce). The figures are those of the file system holding the data
 * folder, where uploads land; a path the caller may not see is "no such file" here as everywhere.
 */
final class ArcaSftpSubsystem extends SftpSubsystem {

    static final String STATVFS = "statvfs@openssh.com";
    private static final long DEFAULT_BLOCK = 4096;
    private static final long NAME_MAX = 255;

    /** Makes {@link ArcaSftpSubsystem}s, with the listeners registered on it, as its parent makes plain ones. */
    static final class Factory extends SftpSubsystemFactory {
        @Override
        public Command createSubsystem(ChannelSession channel) throws IOException {
            ArcaSftpSubsystem subsystem = new ArcaSftpSubsystem(channel, this);
            getRegisteredListeners().forEach(subsystem::addSftpEventListener);
            return subsystem;
        }
    }

    private ArcaSftpSubsystem(ChannelSession channel, SftpSubsystemConfigurator configurator) {
        super(channel, configurator);
    }

    /**
     * A session whose password was changed, token revoked, key removed or account disabled since it signed in
     * gets no further answer but "permission denied", and is closed: the next list, upload or close fails as a
     * new sign-in would. Its open uploads stay unfinished, to be resumed after signing in again.
     */
    @Override
    protected void doProcess(Buffer buffer, int length, int type, int id) throws IOException {
        ServerSession session = getServerSession();
        SessionCredential credential = session.getAttribute(SessionCredential.KEY);
        if (credential == null || !credential.valid()) {
            sendStatus(prepareReply(buffer), id, SftpConstants.SSH_FX_PERMISSION_DENIED,
                    "your sign-in is no longer valid (password changed, token revoked, key removed or account "
                            + "disabled); sign in again", "");
            session.close(false);
            return;
        }
        super.doProcess(buffer, length, type, id);
    }

    /**
     * A size set through an open upload's handle (sshfs's {@code ftruncate}, resuming tools) resizes that upload.
     * MINA would open the file again by its path, which an upload under way refuses, one writer at a time.
     */
    @Override
    protected void doFSetStat(int id, String handle, Map<String, ?> attrs) throws IOException {
        if (attrs.get(IoUtils.SIZE_VIEW_ATTR) instanceof Number size
                && handles.get(handle) instanceof FileHandle file && file.getFileChannel() instanceof UploadChannel upload) {
            upload.truncate(size.longValue());
            Map<String, Object> rest = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            rest.putAll(attrs);
            rest.remove(IoUtils.SIZE_VIEW_ATTR);
            attrs = rest;
        }
        super.doFSetStat(id, handle, attrs);
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
