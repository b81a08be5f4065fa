package org.arca.sftp;

import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;

/**
 * Tells an upload it is complete when the client closes its handle (SSH_FXP_CLOSE). MINA closes the
 * handles of a dropped session too, but without this event, so a cut-off transfer never becomes an item.
 */
final class UploadCompletion implements SftpEventListener {

    @Override
    public void closing(ServerSession session, String remoteHandle, Handle localHandle) {
        if (localHandle instanceof FileHandle file && file.getFileChannel() instanceof UploadChannel upload) {
            upload.markComplete();
        }
    }
}
