package org.jqmp.cli.img;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * qemu-img's size arguments (QEMU 7.2 {@code qemu_strtosz} read by {@code cvtnum}): a decimal number with an
 * optional fraction, or a 0x hex number without fraction or suffix, then an optional suffix B, K, M, G, T, P, E
 * (powers of 1024; B is bytes). A fraction needs a suffix other than B; exponents are refused; the result is
 * rounded half up to a byte and must fit in a signed 64-bit number.
 */
final class SizeArgument {
    private static final Pattern DECIMAL = Pattern.compile("\\s*\\+?([0-9]+)(\\.[0-9]*(?:[eE][+-]?[0-9]*)?)?(.?)");
    private static final Pattern HEX = Pattern.compile("\\s*\\+?0[xX]([0-9a-fA-F]+)");
    private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private SizeArgument() {
    }

    /**
     * @param what the words qemu-img uses in its message ("image size", "rate limit", "start offset")
     * @throws ImgError with qemu-img's two-line message, or its range message
     */
    static long parse(String what, String text) {
        BigInteger bytes = bytes(text);
        if (bytes == null) {
            throw new ImgError("Invalid " + what + " specified. You may use k, M, G, T, P or E suffixes for\n"
                    + "kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.", false);
        }
        if (bytes.compareTo(INT64_MAX) > 0) {
            throw new ImgError("Invalid " + what + " specified. Must be between 0 and " + Long.MAX_VALUE + ".", false);
        }
        return bytes.longValueExact();
    }

    /** The value in bytes (maybe past 2^63), or null when the text is not a size. */
    static BigInteger bytes(String text) {
        Matcher hex = HEX.matcher(text);
        if (hex.matches()) {
            return new BigInteger(hex.group(1), 16);
        }
        Matcher m = DECIMAL.matcher(text);
        if (!m.matches()) {
            return null;
        }
        String fraction = m.group(2);
        if (fraction != null && fraction.toLowerCase().contains("e")) {
            return null;
        }
        long mul = multiplier(m.group(3));
        if (mul < 0) {
            return null;
        }
        BigInteger whole = new BigInteger(m.group(1));
        BigInteger fixed = fraction == null || fraction.length() < 2 ? BigInteger.ZERO
                : new java.math.BigDecimal("0" + fraction).multiply(new java.math.BigDecimal(TWO_64)).toBigInteger();
        if (mul == 1) {
            return fixed.signum() == 0 ? whole : null; // a fraction needs a scale
        }
        // 64.64 fixed point times the unit, then round 0.5 up (as QEMU does)
        BigInteger[] frac = fixed.multiply(BigInteger.valueOf(mul)).divideAndRemainder(TWO_64);
        BigInteger roundUp = frac[1].testBit(63) ? BigInteger.ONE : BigInteger.ZERO;
        return whole.multiply(BigInteger.valueOf(mul)).add(frac[0]).add(roundUp);
    }

    /** 1 for no suffix or B, 1024^n for K..E, -1 for anything else. */
    private static long multiplier(String suffix) {
        if (suffix.isEmpty()) {
            return 1;
        }
        return switch (Character.toUpperCase(suffix.charAt(0))) {
            case 'B' -> 1;
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            case 'T' -> 1L << 40;
            case 'P' -> 1L << 50;
            case 'E' -> 1L << 60;
            default -> -1;
        };
    }
}
