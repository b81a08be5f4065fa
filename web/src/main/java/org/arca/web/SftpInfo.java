package org.arca.web;

/** Where the embedded SFTP server listens ({@code port} 0: it is off) and its host key's SHA-256 fingerprint. */
public record SftpInfo(int port, String hostKeyFingerprint) {

    public static final SftpInfo DISABLED = new SftpInfo(0, "");

    public boolean enabled() {
        return port > 0;
    }
}
