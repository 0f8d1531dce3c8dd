package org.jqmp.cli.run;

import java.math.BigInteger;

/**
 * QEMU's parsers for option values: booleans and numbers ({@code util/qemu-option.c}, {@code qapi/qapi-util.c}),
 * sizes ({@code qemu_strtosz} in {@code util/cutils.c}) and identifiers ({@code id_wellformed}).
 * Every error text here is QEMU 7.2's.
 */
final class OptionValues {

    static final String SIZE_HINT = "Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\n"
            + "and exabytes, respectively.";
    static final String IDENTIFIER_HINT =
            "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter.";
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private OptionValues() {
    }

    /** {@code qapi_bool_parse}: on/yes/true/y and off/no/false/n, case-sensitive. */
    static boolean parseBool(String name, String value) {
        return switch (value) {
            case "on", "yes", "true", "y" -> true;
            case "off", "no", "false", "n" -> false;
            default -> throw new CommandLineException("Parameter '" + name + "' expects 'on' or 'off'");
        };
    }

    /**
     * {@code parse_option_number}: strtoull with base 0 (decimal, 0x hex, 0 octal); like strtoull, a leading
     * minus wraps around, so {@code -1} is 2^64-1 - returned here as the same 64 bits in a long.
     */
    static long parseNumber(String name, String value) {
        String digits = value;
        boolean negative = false;
        if (digits.startsWith("-") || digits.startsWith("+")) {
            negative = digits.charAt(0) == '-';
            digits = digits.substring(1);
        }
        int radix = 10;
        if (digits.length() > 1 && (digits.startsWith("0x") || digits.startsWith("0X"))) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            radix = 8;
            digits = digits.substring(1);
        }
        try {
            if (digits.isEmpty() || !Character.isLetterOrDigit(digits.charAt(0))) {
                throw new NumberFormatException(value);
            }
            long magnitude = Long.parseUnsignedLong(digits, radix);
            return negative ? -magnitude : magnitude;
        } catch (NumberFormatException e) {
            throw new CommandLineException("Parameter '" + name + "' expects a number");
        }
    }

    /** {@code parse_option_size}: a size in bytes with an optional binary suffix (none = bytes). */
    static BigInteger parseSize(String name, String value) {
        BigInteger size = strtosz(value, 1);
        if (size == null) {
            throw new CommandLineException(
                    "Parameter '" + name + "' expects a non-negative number below 2^64\n" + SIZE_HINT);
        }
        return size;
    }

    /**
     * {@code do_strtosz}: decimal with an optional fraction, or 0x hex without one; then one of
     * {@code BKMGTPE} (either case). Returns null where QEMU fails (including 2^64 and above).
     */
    static BigInteger strtosz(String text, long defaultMultiplier) {
        ParsedSize parsed = parseSizeText(text, defaultMultiplier);
        return parsed == null ? null : parsed.bytes();
    }

    /**
     * QEMU 7.2 accepts a multiplier on a hex size with this warning (printed at each parse of the text):
     * {@code warning: Using a multiplier suffix on hex numbers is deprecated: 0x10k}.
     */
    static boolean isHexWithSuffix(String text) {
        ParsedSize parsed = parseSizeText(text, 1);
        return parsed != null && parsed.hexWithSuffix();
    }

    private record ParsedSize(BigInteger bytes, boolean hexWithSuffix) {
    }

    private static ParsedSize parseSizeText(String text, long defaultMultiplier) {
        int end = 0;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        if (end == 0) {
            return null;
        }
        boolean hex = end == 1 && text.charAt(0) == '0' && text.length() > 1 && (text.charAt(1) | 0x20) == 'x';
        BigInteger whole;
        double fraction = 0;
        if (hex) {
            int hexEnd = 2;
            while (hexEnd < text.length() && Character.digit(text.charAt(hexEnd), 16) >= 0) {
                hexEnd++;
            }
            if (hexEnd == 2 || (hexEnd < text.length() && text.charAt(hexEnd) == '.')) {
                return null;
            }
            whole = new BigInteger(text.substring(2, hexEnd), 16);
            end = hexEnd;
        } else {
            whole = new BigInteger(text.substring(0, end));
            if (end < text.length() && text.charAt(end) == '.') {
                int fractionEnd = end + 1;
                while (fractionEnd < text.length() && Character.isDigit(text.charAt(fractionEnd))) {
                    fractionEnd++;
                }
                fraction = Double.parseDouble("0" + text.substring(end, fractionEnd));
                end = fractionEnd;
            }
        }
        long multiplier = defaultMultiplier;
        boolean suffixed = end < text.length() && suffixMultiplier(text.charAt(end)) > 0;
        if (suffixed) {
            multiplier = suffixMultiplier(text.charAt(end));
            end++;
        }
        if (end != text.length() || (multiplier == 1 && fraction > 0)) {
            return null;
        }
        BigInteger m = BigInteger.valueOf(multiplier);
        BigInteger result = whole.multiply(m).add(BigInteger.valueOf((long) (fraction * multiplier)));
        return result.compareTo(TWO_TO_64) >= 0 ? null : new ParsedSize(result, hex && suffixed);
    }

    private static long suffixMultiplier(char suffix) {
        return switch (Character.toUpperCase(suffix)) {
            case 'B' -> 1L;
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            case 'T' -> 1L << 40;
            case 'P' -> 1L << 50;
            case 'E' -> 1L << 60;
            default -> -1L;
        };
    }

    /** {@code id_wellformed}: a letter, then letters, digits, '-', '.', '_'. */
    static boolean isIdentifier(String id) {
        return id.matches("[A-Za-z][A-Za-z0-9._-]*");
    }

    /** The error for a malformed {@code id=}. */
    static String badIdentifier() {
        return "Parameter 'id' expects an identifier\n" + IDENTIFIER_HINT;
    }
}
