package org.arca.sftp;

import java.security.PublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.arca.core.ArcaException;

/**
 * A public key as users paste it ({@code ssh-ed25519 AAAA... comment}, one line of {@code id_*.pub}),
 * parsed by MINA so that what the REST API accepts is exactly what the SFTP server can verify.
 */
public record PublicKeyLine(String type, String data, String comment, String fingerprint) {

    /** Parses one line; INVALID with a sentence the user can act on when it is not a public key. */
    public static PublicKeyLine parse(String line) {
        if (line == null || line.isBlank() || line.strip().contains("\n")) {
            throw ArcaException.invalid("invalid_key", "Paste one public key line, such as the contents of id_ed25519.pub.");
        }
        String text = line.strip();
        try {
            PublicKeyEntry entry = PublicKeyEntry.parsePublicKeyEntry(text);
            PublicKey key = entry.resolvePublicKey(null, java.util.Map.of(), PublicKeyEntryResolver.FAILING);
            if (key == null) {
                throw new IllegalArgumentException("unsupported key type");
            }
            String[] parts = text.split("\\s+", 3);
            return new PublicKeyLine(entry.getKeyType(), parts[1], parts.length > 2 ? parts[2] : "",
                    KeyUtils.getFingerPrint(key));
        } catch (Exception e) {
            // Parsing errors name bytes and offsets; the user needs to know only that the line is not a key.
            throw ArcaException.invalid("invalid_key", "This is not a public key Arca can use (ssh-ed25519, "
                    + "ecdsa-sha2-nistp256/384/521 or ssh-rsa, one line).");
        }
    }
}
