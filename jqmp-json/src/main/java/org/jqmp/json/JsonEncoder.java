package org.jqmp.json;

import org.jqmp.json.internal.JsonWriter;

/**
 * Writes values in QEMU's output form ({@code qobject/json-writer.c}): ASCII only, {@code ", "} and
 * {@code ": "} separators, optional pretty mode with 4-space indentation, and object members in the order
 * QEMU's QDict iterates them (its hash-bucket order), so that jqmp's output matches QEMU's byte for byte.
 */
public final class JsonEncoder {
    private JsonEncoder() {
    }

    /** The value as QEMU would write it, without a line terminator. */
    public static String encode(JsonValue value, boolean pretty) {
        ByteSink out = new ByteSink();
        encode(value, pretty, out);
        return out.toString();
    }

    /** Appends the value as ASCII bytes (see {@link #encode}) to {@code out}. */
    public static void encode(JsonValue value, boolean pretty, ByteSink out) {
        new JsonWriter(out, pretty).value(null, value);
    }
}
