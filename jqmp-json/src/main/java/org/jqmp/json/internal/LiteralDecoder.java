package org.jqmp.json.internal;

import java.nio.charset.StandardCharsets;
import org.jqmp.json.JsonDouble;
import org.jqmp.json.JsonInt;
import org.jqmp.json.JsonNumber;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonUint;

/**
 * Decodes string and number tokens as QEMU's {@code parse_string()} and {@code parse_literal()} do. Returns
 * the value, or a String holding the error message (without the "JSON parse error, " prefix).
 * Short plain strings (member names, command names) come from a small cache, so that decoding a typical
 * command allocates no new String for them.
 */
final class LiteralDecoder {
    /** parse_error() formats into {@code char message[1024]}. */
    static final int MESSAGE_MAX = 1023;
    private static final int CACHE_SIZE = 256;
    private static final int CACHE_MAX_LENGTH = 32;

    private final JsonString[] cache = new JsonString[CACHE_SIZE];
    private final byte[][] cacheBytes = new byte[CACHE_SIZE][];
    private final StringBuilder builder = new StringBuilder();

    static String truncate(String message) {
        return message.length() <= MESSAGE_MAX ? message : message.substring(0, MESSAGE_MAX);
    }

    /** A string token {@code [start, end)} including its quotes. */
    Object string(byte[] t, int start, int end) {
        int from = start + 1;
        int to = end - 1;
        int hash = 0;
        for (int p = from; p < to; p++) {
            int b = t[p];
            if (b < 0 || b == '\\') {
                return decodeEscaped(t, from, to);
            }
            hash = hash * 31 + b;
        }
        int length = to - from;
        if (length > CACHE_MAX_LENGTH) {
            return new JsonString(new String(t, from, length, StandardCharsets.ISO_8859_1));
        }
        int slot = (hash ^ hash >>> 8) & (CACHE_SIZE - 1);
        byte[] known = cacheBytes[slot];
        if (known != null && java.util.Arrays.equals(known, 0, known.length, t, from, to)) {
            return cache[slot];
        }
        JsonString s = new JsonString(new String(t, from, length, StandardCharsets.ISO_8859_1));
        cacheBytes[slot] = java.util.Arrays.copyOfRange(t, from, to);
        cache[slot] = s;
        return s;
    }

    /** The general path: escapes and multi-byte sequences, validated as parse_string() does. */
    private Object decodeEscaped(byte[] t, int p, int to) {
        StringBuilder out = builder;
        out.setLength(0);
        while (p < to) {
            int b = t[p] & 0xFF;
            if (b == '\\') {
                Object r = escape(t, p, to, out);
                if (r instanceof String message) {
                    return message;
                }
                p = (Integer) r;
            } else if (b < 0x80) {
                out.append((char) b);
                p++;
            } else {
                long r = ModifiedUtf8.decode(t, p, to + 1); // the closing quote ends any sequence
                int cp = (int) (r >> 8);
                if (cp < 0) {
                    return "invalid UTF-8 sequence in string";
                }
                out.appendCodePoint(cp);
                p += (int) (r & 0xFF);
            }
        }
        return new JsonString(out.toString());
    }

    /** One escape at {@code t[p] == '\\'}; returns the position after it, or an error message. */
    private static Object escape(byte[] t, int p, int to, StringBuilder out) {
        int c = t[p + 1] & 0xFF;
        char simple = switch (c) {
            case '"' -> '"';
            case '\'' -> '\'';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> 0;
        };
        if (simple != 0) {
            out.append(simple);
            return p + 2;
        }
        if (c != 'u') {
            return "invalid escape sequence in string";
        }
        int q = p + 2;
        int cp = hex4(t, q, to + 1);
        q += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && q + 1 < to && t[q] == '\\' && t[q + 1] == 'u') {
            int trailing = hex4(t, q + 2, to + 1);
            if (trailing >= 0xDC00 && trailing <= 0xDFFF) {
                cp = 0x10000 + ((cp & 0x3FF) << 10) | (trailing & 0x3FF);
                q += 6;
            } else {
                cp = -1;
            }
        }
        if (!ModifiedUtf8.isValidCodePoint(cp)) {
            // The message echoes the escape as written, cut at the token's end ("%.*s"; observed on QEMU 7.2:
            // for the string token made of quote, backslash, 'u', '1', '2', quote, the echo ends in the quote).
            int echoEnd = Math.min(q, to + 1);
            return ModifiedUtf8.display(t, p, echoEnd) + " is not a valid Unicode character";
        }
        out.appendCodePoint(cp);
        return q;
    }

    /** cvt4hex(): four hex digits, or -1; reads no further than the first non-digit. */
    private static int hex4(byte[] t, int p, int limit) {
        int cp = 0;
        for (int i = 0; i < 4; i++) {
            int c = p + i < limit ? t[p + i] : 0;
            int d = Character.digit(c, 16);
            if (d < 0 || c > 'f') {
                return -1;
            }
            cp = cp << 4 | d;
        }
        return cp;
    }

    /** Integers become int64, else uint64 when non-negative, else double; decimals become double. */
    JsonNumber number(byte[] t, int start, int end, boolean isFloat) {
        if (!isFloat) {
            boolean negative = t[start] == '-';
            int p = negative ? start + 1 : start;
            int digits = end - p;
            if (digits <= 18) {
                long v = 0;
                for (int i = p; i < end; i++) {
                    v = v * 10 + (t[i] - '0');
                }
                return new JsonInt(negative ? -v : v);
            }
            if (digits <= 20) {
                JsonNumber n = wide(new String(t, start, end - start, StandardCharsets.ISO_8859_1), negative);
                if (n != null) {
                    return n;
                }
            }
        }
        return new JsonDouble(Double.parseDouble(new String(t, start, end - start, StandardCharsets.ISO_8859_1)));
    }

    private static JsonNumber wide(String s, boolean negative) {
        try {
            return new JsonInt(Long.parseLong(s));
        } catch (NumberFormatException overflow) {
            if (negative) {
                return null;
            }
        }
        try {
            return new JsonUint(Long.parseUnsignedLong(s));
        } catch (NumberFormatException overflow) {
            return null;
        }
    }
}
