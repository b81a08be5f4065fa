package org.arca.sftp;

import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;

/**
 * How much of an upload a client may have in flight, and how much the server takes from the socket at once.
 * MINA's defaults suit interactive sessions; SFTP uploads are bulk transfers through one channel.
 */
final class FlowControl {

    /**
     * The channel window the server grants. MINA gives window back only once the SFTP subsystem has finished a
     * request (written to disk and hashed), so the window, not the client, bounds what is in flight. OpenSSH's
     * {@code sftp} keeps 64 writes of 255 KiB outstanding (it learns the write size from {@code limits@openssh.com});
     * MINA's default 2 MiB window holds eight of them and the client stalls waiting for window adjustments. 16 MiB
     * holds all 64. It is also what a slow disk may make the server buffer per upload channel, which the session
     * limit per user bounds.
     */
    static final long WINDOW_BYTES = 16L << 20;

    /**
     * Bytes read from the socket per read. At MINA's 32 KiB a 255 KiB write needs eight reads, each a completion
     * handed between threads; 256 KiB cut the server's reads and thread wake-ups per gigabyte about fourfold.
     */
    static final int READ_BUFFER_BYTES = 256 << 10;

    static void apply(SshServer sshd) {
        // SFTP is request and reply: a client waits for each small reply before its next request (open, close,
        // stat for every file of a tree). With Nagle's algorithm on, a reply written while the previous one was
        // unacknowledged waited for the client's delayed ACK, about 40 ms on Linux; that halved to quartered a
        // plain MINA server's small-file uploads.
        CoreModuleProperties.TCP_NODELAY.set(sshd, true);
        CoreModuleProperties.WINDOW_SIZE.set(sshd, WINDOW_BYTES);
        CoreModuleProperties.NIO2_READ_BUFFER_SIZE.set(sshd, READ_BUFFER_BYTES);
    }

    private FlowControl() {
    }
}
