package org.jqmp.it;

import java.util.Map;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonBool;
import org.jqmp.json.JsonDouble;
import org.jqmp.json.JsonInt;
import org.jqmp.json.JsonNull;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonUint;
import org.jqmp.json.JsonValue;

/**
 * A message as text with its members in the order they arrived (the decoder keeps wire order), so that
 * comparisons see member order too; with the values that depend on the host or the moment masked:
 * timestamps, and the version ({@code qemu} triple and {@code package}).
 */
final class Canonical {
    private Canonical() {
    }

    static String of(JsonValue value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb, null);
        return sb.toString();
    }

    private static void write(JsonValue value, StringBuilder sb, String key) {
        switch (value) {
            case JsonObject o when isVersion(o) -> sb.append("<version>");
            case JsonObject o when "timestamp".equals(key) -> sb.append("<timestamp>");
            case JsonObject o -> {
                sb.append('{');
                String sep = "";
                for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
                    sb.append(sep).append('"').append(e.getKey()).append("\": ");
                    write(e.getValue(), sb, e.getKey());
                    sep = ", ";
                }
                sb.append('}');
            }
            case JsonArray a -> {
                sb.append('[');
                String sep = "";
                for (JsonValue v : a.elements()) {
                    sb.append(sep);
                    write(v, sb, null);
                    sep = ", ";
                }
                sb.append(']');
            }
            case JsonString s -> sb.append('"').append(s.value()).append('"');
            case JsonInt i -> sb.append(i.value());
            case JsonUint u -> sb.append(Long.toUnsignedString(u.bits()));
            case JsonDouble d -> sb.append(d.value());
            case JsonBool b -> sb.append(b.value());
            case JsonNull n -> sb.append("null");
        }
    }

    private static boolean isVersion(JsonObject o) {
        return o.size() == 2 && o.has("qemu") && o.has("package");
    }
}
