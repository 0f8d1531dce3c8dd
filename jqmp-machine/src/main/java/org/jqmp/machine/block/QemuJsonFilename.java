package org.jqmp.machine.block;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The {@code json:} file names QEMU gives a node it cannot name by one file ({@code bdrv_refresh_filename}): the
 * node's options as JSON in the order QEMU's {@code QDict} iterates them - by hash bucket ({@code tdb_hash} modulo
 * 512, {@code qobject/qdict.c}), and within a bucket in the order the options were given (observed with QEMU 7.2:
 * {@code inject-error.0.event}, {@code inject-error.0.errno} and {@code inject-error.1.event} share a bucket).
 */
final class QemuJsonFilename {
    private static final int BUCKETS = 512;

    /** A value written as it stands: the already rendered options of a child node. */
    record Raw(String json) {
    }

    private QemuJsonFilename() {
    }

    /** {@code json:} and the options; values are String, Long, Integer, Boolean or {@link Raw}. */
    static String of(Map<String, Object> options) {
        return "json:" + render(options);
    }

    static String render(Map<String, Object> options) {
        List<Map.Entry<String, Object>> entries = new ArrayList<>(options.entrySet());
        entries.sort(Comparator.comparingInt(e -> bucket(e.getKey()))); // stable: given order within a bucket
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, Object> e : entries) {
            out.append(out.length() > 1 ? ", " : "").append(quote(e.getKey())).append(": ");
            out.append(switch (e.getValue()) {
                case Raw raw -> raw.json();
                case String s -> quote(s);
                default -> String.valueOf(e.getValue());
            });
        }
        return out.append('}').toString();
    }

    /** QEMU's {@code tdb_hash} of a key, reduced to its bucket. */
    static int bucket(String key) {
        byte[] b = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int value = 0x238F13AF * b.length;
        for (int i = 0; i < b.length; i++) {
            value += (b[i] & 0xff) << (i * 5 % 24);
        }
        return Integer.remainderUnsigned(1103515243 * value + 12345, BUCKETS);
    }

    /** A JSON string as QEMU's {@code qobject_to_json} writes it (non-ASCII as {@code \\u} escapes). */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
