package org.arca.dicom;

import java.math.BigDecimal;

/** Formats doubles as DS values: at most 16 characters, as PS3.5 6.2 allows. */
final class DecimalString {
    private DecimalString() {
    }

    static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("DS cannot hold " + v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = Double.toString(v);
        for (int digits = 16; s.length() > 16 && digits > 1; digits--) {
            s = new BigDecimal(v).round(new java.math.MathContext(digits)).stripTrailingZeros().toString();
        }
        return s;
    }
}
