package org.jqmp.monitor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonValue;

/**
 * The order in which QEMU's QDict iterates its members: 512 buckets chosen by the tdb hash of the key,
 * bucket 0 first, and within a bucket the newest member first (entries are inserted at the head).
 * QEMU's checks that walk a dict (the envelope check) meet members in this order.
 */
final class QDictOrder {
    private static final int BUCKETS = 512;

    private QDictOrder() {
    }

    static List<Map.Entry<String, JsonValue>> entries(JsonObject object) {
        List<Map.Entry<String, JsonValue>> entries = new ArrayList<>(object.members().entrySet());
        int n = entries.size();
        if (n < 2) {
            return entries;
        }
        int[] bucket = new int[n];
        Integer[] index = new Integer[n];
        for (int i = 0; i < n; i++) {
            bucket[i] = bucket(entries.get(i).getKey());
            index[i] = i;
        }
        // bucket ascending; within a bucket, later insertion first
        java.util.Arrays.sort(index, (a, b) -> bucket[a] != bucket[b] ? Integer.compare(bucket[a], bucket[b])
                : Integer.compare(b, a));
        List<Map.Entry<String, JsonValue>> ordered = new ArrayList<>(n);
        for (Integer i : index) {
            ordered.add(entries.get(i));
        }
        return ordered;
    }

    static int bucket(String key) {
        return Integer.remainderUnsigned(hash(key), BUCKETS);
    }

    /** The tdb hash QEMU's qdict.c uses, over the key's UTF-8 bytes, in unsigned 32-bit arithmetic. */
    static int hash(String key) {
        byte[] bytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int value = 0x238F13AF * bytes.length;
        for (int i = 0; i < bytes.length; i++) {
            value += (bytes[i] & 0xFF) << (i * 5 % 24);
        }
        return 1103515243 * value + 12345;
    }
}
