package org.arca.sftp;

import java.nio.file.FileSystemException;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.server.SftpErrorStatusDataHandler;
import org.apache.sshd.sftp.server.SftpSubsystemEnvironment;

/**
 * A closed upload that did not become an item. Its text is for the client, so the close's status carries it
 * ({@link #STATUS_TEXT}) where MINA would send a fixed "General failure": it names the path and the repository's
 * reason, never SQL or a driver's message.
 */
final class UploadNotStored extends FileSystemException {

    /** Sends this exception's own text as the status message; every other error keeps MINA's fixed texts. */
    static final SftpErrorStatusDataHandler STATUS_TEXT = new SftpErrorStatusDataHandler() {
        @Override
        public int resolveSubStatus(SftpSubsystemEnvironment sftp, int id, Throwable e, int cmd, Object... args) {
            return e instanceof UploadNotStored ? SftpConstants.SSH_FX_FAILURE
                    : SftpErrorStatusDataHandler.super.resolveSubStatus(sftp, id, e, cmd, args);
        }

        @Override
        public String resolveErrorMessage(SftpSubsystemEnvironment sftp, int id, Throwable e, int subStatus, int cmd,
                                          Object... args) {
            return e instanceof UploadNotStored notStored ? notStored.getMessage()
                    : SftpErrorStatusDataHandler.super.resolveErrorMessage(sftp, id, e, subStatus, cmd, args);
        }
    };

    UploadNotStored(String path, String reason) {
        super(path, null, "the upload was not stored: " + reason);
    }
}
