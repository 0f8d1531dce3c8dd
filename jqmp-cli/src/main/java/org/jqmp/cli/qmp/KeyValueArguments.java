package org.jqmp.cli.qmp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jqmp.json.Json;
import org.jqmp.json.JsonBool;
import org.jqmp.json.JsonException;
import org.jqmp.json.JsonInt;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;

/**
 * qmp-shell's argument language ({@code scripts/qmp/qmp-shell}, {@code QMPShell.__cli_expr}):
 * {@code key=value} pairs, dotted keys building nested objects ({@code a.b=1} is {@code {"a": {"b": 1}}}),
 * each value an integer, then {@code true}/{@code false}, then JSON when it starts with {@code {} or
 * {@code [}, else a string. A key given twice is an error.
 */
public final class KeyValueArguments {
    private KeyValueArguments() {
    }

    /** Thrown for a malformed pair; the message names it. */
    public static final class BadArgument extends RuntimeException {
        BadArgument(String message) {
            super(message);
        }
    }

    public static JsonObject parse(List<String> pairs) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new BadArgument("argument '" + pair + "' is not key=value");
            }
            put(root, pair.substring(0, eq), value(pair.substring(eq + 1)), pair);
        }
        return toJson(root);
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String key, JsonValue value, String pair) {
        String[] path = key.split("\\.", -1);
        Map<String, Object> node = root;
        for (int i = 0; i < path.length - 1; i++) {
            Object child = node.computeIfAbsent(path[i], k -> new LinkedHashMap<String, Object>());
            if (!(child instanceof Map)) {
                throw new BadArgument("'" + pair + "': '" + path[i] + "' already has a value, it cannot also hold keys");
            }
            node = (Map<String, Object>) child;
        }
        String last = path[path.length - 1];
        if (last.isEmpty() || node.containsKey(last)) {
            throw new BadArgument(last.isEmpty() ? "'" + pair + "' has an empty key"
                    : "key '" + key + "' is given twice");
        }
        node.put(last, value);
    }

    static JsonValue value(String text) {
        if (text.matches("-?[0-9]+")) {
            try {
                return new JsonInt(Long.parseLong(text));
            } catch (NumberFormatException e) {
                return new JsonString(text); // too big for int64: qmp-shell would send it as a Python int
            }
        }
        if (text.equals("true") || text.equals("false")) {
            return JsonBool.of(text.equals("true"));
        }
        if (text.startsWith("{") || text.startsWith("[")) {
            try {
                return Json.parse(text);
            } catch (JsonException e) {
                throw new BadArgument("value '" + text + "' is not valid JSON: " + e.getMessage());
            }
        }
        return new JsonString(text);
    }

    @SuppressWarnings("unchecked")
    private static JsonObject toJson(Map<String, Object> node) {
        JsonObject.Builder out = JsonObject.builder();
        node.forEach((k, v) -> out.put(k, v instanceof Map ? toJson((Map<String, Object>) v) : (JsonValue) v));
        return out.build();
    }
}
