package org.jqmp.block.img;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON qemu-img prints (QEMU's pretty printer: four-space indent, {@code "key": value}); jqmp-block does
 * not depend on jqmp-json, and this is all it needs.
 */
final class Json {
    private Json() {
    }

    static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    static String pretty(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, int depth) {
        switch (v) {
            case null -> sb.append("null");
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    sb.append("{}");
                    return;
                }
                sb.append("{\n");
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    indent(sb, depth + 1).append(quote(e.getKey().toString())).append(": ");
                    write(sb, e.getValue(), depth + 1);
                    sb.append(++i < m.size() ? ",\n" : "\n");
                }
                indent(sb, depth).append('}');
            }
            case List<?> l -> {
                if (l.isEmpty()) {
                    sb.append("[]");
                    return;
                }
                sb.append("[\n");
                for (int i = 0; i < l.size(); i++) {
                    indent(sb, depth + 1);
                    write(sb, l.get(i), depth + 1);
                    sb.append(i + 1 < l.size() ? ",\n" : "\n");
                }
                indent(sb, depth).append(']');
            }
            case String s -> sb.append(quote(s));
            default -> sb.append(v);
        }
    }

    private static StringBuilder indent(StringBuilder sb, int depth) {
        return sb.append("    ".repeat(depth));
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
