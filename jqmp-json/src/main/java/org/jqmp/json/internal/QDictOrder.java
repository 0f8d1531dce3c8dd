package org.jqmp.json.internal;

import java.util.Arrays;
import java.util.Map;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonValue;

/**
 * The order in which QEMU's QDict iterates its members ({@code qobject/qdict.c}), which is the order its JSON
 * writer prints them: 512 hash buckets, bucket = tdb_hash(key) % 512, each bucket a list with new keys
 * inserted at the head. So members come by bucket ascending and, within one bucket, newest first.
 * Verified against QEMU 7.2 with 614 keys, including non-ASCII keys and a key holding U+0000.
 */
public final class QDictOrder {
    static final int BUCKETS = 512;
    private static final int CACHE_SIZE = 1024;

    private record Cached(String key, int bucket) {
    }

    /** Bucket numbers of recently seen keys; racy but safe (entries are immutable). */
    private static final Cached[] CACHE = new Cached[CACHE_SIZE];

    private QDictOrder() {
    }

    /** The object's members in QDict iteration order. */
    @SuppressWarnings("unchecked")
    public static Map.Entry<String, JsonValue>[] members(JsonObject object) {
        Map.Entry<String, JsonValue>[] entries = object.members().entrySet().toArray(new Map.Entry[0]);
        int n = entries.length;
        if (n < 2) {
            return entries;
        }
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            // bucket ascending, then insertion index descending
            order[i] = (long) bucket(entries[i].getKey()) << 32 | (n - 1 - i);
        }
        Arrays.sort(order);
        Map.Entry<String, JsonValue>[] sorted = new Map.Entry[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = entries[n - 1 - (int) order[i]];
        }
        return sorted;
    }

    public static int bucket(String key) {
        int slot = key.hashCode() & (CACHE_SIZE - 1);
        Cached c = CACHE[slot];
        if (c != null && c.key.equals(key)) {
            return c.bucket;
        }
        int b = Integer.remainderUnsigned(tdbHash(key), BUCKETS);
        CACHE[slot] = new Cached(key, b);
        return b;
    }

    /** tdb_hash() over the key as QEMU stores it: a C string in modified UTF-8. */
    static int tdbHash(String key) {
        int n = key.length();
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (c == 0 || c >= 0x80) {
                return tdbHash(modifiedUtf8(key));
            }
        }
        int value = 0x238F13AF * n;
        for (int i = 0; i < n; i++) {
            value += key.charAt(i) << (i * 5 % 24);
        }
        return 1103515243 * value + 12345;
    }

    private static int tdbHash(byte[] bytes) {
        int value = 0x238F13AF * bytes.length;
        for (int i = 0; i < bytes.length; i++) {
            value += (bytes[i] & 0xFF) << (i * 5 % 24);
        }
        return 1103515243 * value + 12345;
    }

    /** QEMU's bytes for a key: UTF-8, except U+0000 as C0 80 (a lone surrogate gets its 3-byte form). */
    static byte[] modifiedUtf8(String key) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(key.length() * 3);
        for (int i = 0; i < key.length(); ) {
            int cp = key.codePointAt(i);
            i += Character.charCount(cp);
            if (cp != 0 && cp < 0x80) {
                out.write(cp);
            } else if (cp < 0x800) {
                out.write(0xC0 | cp >> 6);
                out.write(0x80 | cp & 0x3F);
            } else if (cp < 0x10000) {
                out.write(0xE0 | cp >> 12);
                out.write(0x80 | cp >> 6 & 0x3F);
                out.write(0x80 | cp & 0x3F);
            } else {
                out.write(0xF0 | cp >> 18);
                out.write(0x80 | cp >> 12 & 0x3F);
                out.write(0x80 | cp >> 6 & 0x3F);
                out.write(0x80 | cp & 0x3F);
            }
        }
        return out.toByteArray();
    }
}
