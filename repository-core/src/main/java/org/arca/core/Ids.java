package org.arca.core;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Opaque identifiers: 48 bits of milliseconds then 80 random bits, as 32 hex digits. Time first keeps
 * index inserts local; the random part makes ids unguessable enough that they leak nothing.
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        long millis = System.currentTimeMillis();
        for (int i = 5; i >= 0; i--) {
            bytes[i] = (byte) millis;
            millis >>>= 8;
        }
        return HexFormat.of().formatHex(bytes);
    }

    /** A secret for sessions and tokens: 256 random bits, URL-safe. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
