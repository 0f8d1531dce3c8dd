package org.jqmp.block.img;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** qemu-img's size words: parsing "10M", "1.5G", and QEMU's size_to_str ("196 KiB", "10 MiB", "0 B"). */
public final class Sizes {
    private static final String[] SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

    private Sizes() {
    }

    /** QEMU's size_to_str: three significant digits, switching unit at 1000 of the smaller one. */
    public static String human(long value) {
        int exp = Math.getExponent(value / (1000.0 / 1024.0)) + 1; // frexp's exponent
        int i = value == 0 ? 0 : Math.max(0, (exp - 1) / 10);
        double scaled = (double) value / (1L << (i * 10));
        BigDecimal d = new BigDecimal(scaled).round(new MathContext(3));
        String s = d.stripTrailingZeros().toPlainString();
        return s + " " + SUFFIXES[i] + "B";
    }

    /** qemu-img's size argument: bytes, or a number with k/K, M, G, T, P, E (powers of 1024), b for 512-byte sectors. */
    public static long parse(String s) {
        String t = s.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("Invalid image size specified: empty");
        }
        char last = Character.toUpperCase(t.charAt(t.length() - 1));
        int shift = switch (last) {
            case 'B' -> -1;
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            case 'P' -> 50;
            case 'E' -> 60;
            default -> 0;
        };
        String num = shift == 0 && Character.isDigit(last) ? t : t.substring(0, t.length() - 1);
        try {
            BigDecimal v = new BigDecimal(num.toLowerCase(Locale.ROOT));
            BigDecimal bytes = shift == -1 ? v.multiply(BigDecimal.valueOf(512)) : v.multiply(BigDecimal.valueOf(2).pow(shift));
            if (bytes.signum() < 0 || bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw new IllegalArgumentException("Image size must be less than 8 EiB!");
            }
            return bytes.longValue();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid image size specified. You may use k, M, G, T, P or E suffixes "
                    + "for kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.");
        }
    }
}
