package org.jqmp.api.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonDouble;
import org.jqmp.json.JsonInt;
import org.jqmp.json.JsonUint;
import org.jqmp.json.JsonValue;

/**
 * The conversions generated code needs to turn typed values into JSON, as QEMU's QObject output visitor
 * ({@code qapi/qobject-output-visitor.c}) does. Struct members hidden by the {@code -compat} output policy are
 * left out by the generated code itself ({@link CompatPolicy#hides}).
 */
public final class QObjectOutput {
    private QObjectOutput() {
    }

    /** uint64 and size values are kept as unsigned bits in a long. */
    public static JsonValue uint64(long bits) {
        return bits >= 0 ? new JsonInt(bits) : new JsonUint(bits);
    }

    public static JsonValue integer(long value) {
        return new JsonInt(value);
    }

    public static JsonValue number(double value) {
        return new JsonDouble(value);
    }

    public static <T> JsonArray list(List<T> values, Function<T, JsonValue> element) {
        List<JsonValue> out = new ArrayList<>(values.size());
        for (T v : values) {
            out.add(element.apply(v));
        }
        return new JsonArray(out);
    }
}
