package org.arca.sftp;

import java.util.List;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.mac.Mac;

/**
 * The ciphers and MACs the server offers. The client picks the first of its own list that the server also
 * has, so what is left out matters more than the order here.
 */
final class TransportAlgorithms {

    /**
     * AES only. MINA runs chacha20-poly1305 (OpenSSH's first choice) in pure Java, which held bulk transfers to
     * a fraction of what the line carries; AES-GCM and AES-CTR go through the JDK's AES, which the JIT
     * compiles to AES-NI (and GHASH to carry-less multiply) instructions. Every client of the last decade has
     * them (OpenSSH 6.2+, PuTTY/WinSCP/FileZilla). CBC and the other legacy ciphers stay out.
     */
    static List<NamedFactory<Cipher>> ciphers() {
        return List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128ctr,
                BuiltinCiphers.aes192ctr, BuiltinCiphers.aes256ctr);
    }

    /**
     * For the CTR ciphers (GCM carries its own tag). Encrypt-then-MAC first; SHA-256 before SHA-512 because
     * the JDK's SHA-256 uses the CPU's SHA extensions. No SHA-1 or MD5.
     */
    static List<NamedFactory<Mac>> macs() {
        return List.of(BuiltinMacs.hmacsha256etm, BuiltinMacs.hmacsha512etm, BuiltinMacs.hmacsha256,
                BuiltinMacs.hmacsha512);
    }

    private TransportAlgorithms() {
    }
}
