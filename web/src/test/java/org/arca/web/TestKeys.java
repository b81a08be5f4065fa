package org.arca.web;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/** Fresh SSH public keys in the one-line form users paste, for the tests of key registration. */
public final class TestKeys {
    private TestKeys() {
    }

    /** A new ECDSA P-256 public key line ({@code ecdsa-sha2-nistp256 AAAA...}), different every call. */
    public static String newLine() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return PublicKeyEntry.toString(generator.generateKeyPair().getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
