package org.arca.dicom;

/** Swaps multi-byte units in place, between little and big endian. */
final class ByteOrderSwap {
    private ByteOrderSwap() {
    }

    static void swap(byte[] b, int unit) {
        swap(b, 0, b.length, unit);
    }

    static void swap(byte[] b, int off, int len, int unit) {
        if (unit <= 1) {
            return;
        }
        int end = off + len - len % unit;
        for (int i = off; i < end; i += unit) {
            for (int j = 0; j < unit / 2; j++) {
                byte t = b[i + j];
                b[i + j] = b[i + unit - 1 - j];
                b[i + unit - 1 - j] = t;
            }
        }
    }
}
