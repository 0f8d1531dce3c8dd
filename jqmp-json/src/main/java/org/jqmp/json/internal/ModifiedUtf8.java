package org.jqmp.json.internal;

/**
 * QEMU's reading of modified UTF-8 ({@code util/unicode.c}): UTF-8 in which U+0000 is written
 * {@code C0 80}, and in which overlong forms, surrogates, code points above U+10FFFF and Unicode's 66
 * noncharacters are all invalid.
 */
public final class ModifiedUtf8 {
    /** What a decode step returns besides the code point: where the sequence ended. */
    private static final int[] MIN_CODE_POINT = {0x80, 0x800, 0x10000, 0x200000, 0x4000000};

    private ModifiedUtf8() {
    }

    /**
     * Decodes the sequence at {@code b[p]}, reading no further than {@code end} (bytes past it read as the
     * C string terminator would: zero). Returns {@code codePoint << 8 | length} when valid, or
     * {@code -1 << 8 | length} when invalid, where {@code length >= 1} is how many bytes the sequence took
     * (mod_utf8_codepoint's {@code end}). {@code b[p]} must not be zero.
     */
    public static long decode(byte[] b, int p, int end) {
        int first = b[p] & 0xFF;
        if (first < 0x80) {
            return (long) first << 8 | 1;
        }
        if (first >= 0xFE || (first & 0x40) == 0) {
            return -1L << 8 | 1; // impossible byte or stray continuation byte
        }
        int len = Integer.numberOfLeadingZeros(~(first << 24));
        int cp = first & (0xFF >> (len + 1));
        int q = p + 1;
        for (int i = 1; i < len; i++) {
            int c = q < end ? b[q] & 0xFF : 0;
            if ((c & 0xC0) != 0x80) {
                return -1L << 8 | (q - p); // continuation byte missing
            }
            q++;
            cp = cp << 6 | (c & 0x3F);
        }
        boolean valid = isValidCodePoint(cp) && (cp >= MIN_CODE_POINT[len - 2] || (cp == 0 && len == 2));
        return (long) (valid ? cp : -1) << 8 | (q - p);
    }

    /** Whether QEMU's mod_utf8_encode accepts the code point: in range, no surrogate, no noncharacter. */
    public static boolean isValidCodePoint(int cp) {
        if (cp < 0 || cp > 0x10FFFF) {
            return false;
        }
        if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
            return false;
        }
        return cp < 0xD800 || cp > 0xDFFF;
    }

    /**
     * The bytes {@code [p, end)} as the text QEMU's JSON writer would show for them: they are a C string, so
     * they stop at the first zero byte; each invalid sequence becomes one U+FFFD. Used to echo input in
     * error messages ("stray '...'"), so that encoding the message gives QEMU's bytes.
     */
    public static String display(byte[] b, int p, int end) {
        StringBuilder out = new StringBuilder(end - p);
        while (p < end && b[p] != 0) {
            long r = decode(b, p, end);
            int cp = (int) (r >> 8);
            out.appendCodePoint(cp < 0 ? 0xFFFD : cp);
            p += (int) (r & 0xFF);
        }
        return out.toString();
    }
}
