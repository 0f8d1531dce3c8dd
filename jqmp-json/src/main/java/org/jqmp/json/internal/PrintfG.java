package org.jqmp.json.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C's {@code printf("%.17g", v)} as glibc prints it, which is how QEMU's JSON writer prints every double
 * (observed on QEMU 7.2: 0.1 gives 0.10000000000000001, 1e-7 gives 9.9999999999999995e-08, 1.0 gives 1,
 * -0.0 gives -0, 1e400 gives inf).
 */
public final class PrintfG {
    private static final int PRECISION = 17;
    private static final MathContext SEVENTEEN = new MathContext(PRECISION, RoundingMode.HALF_EVEN);
    private static final double EXACT_INTEGER_LIMIT = 1e17;

    private PrintfG() {
    }

    public static String format(double v) {
        if (Double.isNaN(v)) {
            return Double.doubleToRawLongBits(v) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(v)) {
            return v < 0 ? "-inf" : "inf";
        }
        if (v == 0) {
            return Double.doubleToRawLongBits(v) < 0 ? "-0" : "0";
        }
        if (v == Math.rint(v) && Math.abs(v) < EXACT_INTEGER_LIMIT) {
            return Long.toString((long) v); // at most 17 digits, printed exactly in fixed notation
        }
        // glibc rounds the exact binary value, ties to even.
        BigDecimal rounded = new BigDecimal(v).round(SEVENTEEN);
        String digits = rounded.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - rounded.scale();
        digits = stripTrailingZeros(digits);
        StringBuilder out = new StringBuilder(24);
        if (v < 0) {
            out.append('-');
        }
        if (exponent < -4 || exponent >= PRECISION) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append(exponent < 0 ? "e-" : "e+");
            int e = Math.abs(exponent);
            if (e < 10) {
                out.append('0');
            }
            out.append(e);
        } else if (exponent < 0) {
            out.append("0.").repeat('0', -exponent - 1).append(digits);
        } else if (digits.length() <= exponent + 1) {
            out.append(digits).repeat('0', exponent + 1 - digits.length());
        } else {
            out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
        }
        return out.toString();
    }

    private static String stripTrailingZeros(String digits) {
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        return digits.substring(0, end);
    }
}
