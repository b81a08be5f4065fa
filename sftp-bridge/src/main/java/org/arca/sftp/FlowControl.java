package org.arca.sftp;

import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;

/**
 * How much of an upload a client may have in flight, and how much the server takes from the socket at once.
 * MINA's defaults suit interactive sessions; SFTP uploads are bulk transfers through one channel.
 */
final class FlowControl {

    /**
     * The channel window the server grants: how many bytes a client may send before the server has taken them.
     * MINA gives window back only once the SFTP subsystem has finished a request (written it to disk and hashed
     * it). Too small, and the client stalls waiting for window adjustments. Too large, and OpenSSH's own client
     * stalls: with a 16 MiB window it buffers as much in its channel, and (on 2 cores) spent ten
     * seconds of a 2 GB upload at full CPU moving that buffer around while the server sat idle, halving the
     * upload rate. OpenSSH's sshd grants 2 MiB. Measured with {@code arca bench sftp}: 2 to 4 MiB gave the best
     * uploads, 6 MiB a fifth less, 16 MiB less than half.
     */
    static final long WINDOW_BYTES = 4L << 20;

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
