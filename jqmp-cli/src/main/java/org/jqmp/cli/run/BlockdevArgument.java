package org.jqmp.cli.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jqmp.json.Json;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;

/**
 * {@code -blockdev}'s argument: a JSON object when it starts with {@code {}, else the dotted keyval syntax
 * ({@code driver=qcow2,node-name=n0,file.driver=file,file.filename=disk.qcow2}) made into nested objects whose
 * scalars are strings, for QEMU's keyval input visitor to read as the schema's types.
 *
 * @param location the option as QEMU names it in messages
 * @param options  the object {@code blockdev-add} would take
 * @param keyval   whether the scalars are strings from the dotted syntax
 */
public record BlockdevArgument(String location, JsonObject options, boolean keyval) {

    static BlockdevArgument parse(String text, String location) {
        if (text.startsWith("{")) {
            JsonValue value;
            try {
                value = Json.parse(text);
            } catch (RuntimeException e) {
                throw CommandLineException.at(location, e.getMessage());
            }
            if (!(value instanceof JsonObject o)) {
                throw CommandLineException.at(location, "-blockdev expects a JSON object");
            }
            return new BlockdevArgument(location, o, false);
        }
        Map<String, Object> tree = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : Keyval.parseDotted(text, location).entrySet()) {
            put(tree, e.getKey(), e.getValue(), location);
        }
        try {
            return new BlockdevArgument(location, toJson(tree), true);
        } catch (IllegalArgumentException e) {
            throw CommandLineException.at(location, e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> tree, String key, String value, String location) {
        String[] path = key.split("\\.");
        Map<String, Object> at = tree;
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < path.length - 1; i++) {
            prefix.append(i == 0 ? "" : ".").append(path[i]);
            Object next = at.computeIfAbsent(path[i], k -> new LinkedHashMap<String, Object>());
            if (!(next instanceof Map)) {
                throw CommandLineException.at(location, "Parameter '" + prefix + "' used inconsistently");
            }
            at = (Map<String, Object>) next;
        }
        Object old = at.putIfAbsent(path[path.length - 1], value);
        if (old instanceof Map) {
            throw CommandLineException.at(location, "Parameter '" + key + "' used inconsistently");
        }
        if (old != null) {
            at.put(path[path.length - 1], value); // a later key wins
        }
    }

    private static JsonObject toJson(Map<String, Object> tree) {
        JsonObject.Builder b = JsonObject.builder();
        tree.forEach((k, v) -> b.put(k, value(v, k)));
        return b.build();
    }

    /**
     * A nested group whose keys are all indexes is a list ({@code keyval_listify}: {@code inject-error.0.event}),
     * its indexes 0 to n-1 with none missing.
     */
    @SuppressWarnings("unchecked")
    private static JsonValue value(Object v, String path) {
        if (!(v instanceof Map)) {
            return new JsonString((String) v);
        }
        Map<String, Object> group = (Map<String, Object>) v;
        if (group.isEmpty() || !group.keySet().stream().allMatch(k -> k.matches("0|[1-9][0-9]{0,8}"))) {
            return toJson(group);
        }
        List<JsonValue> elements = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            Object element = group.get(Integer.toString(i));
            if (element == null) {
                throw new IllegalArgumentException("Parameter '" + path + "." + i + "' missing");
            }
            elements.add(value(element, path + "." + i));
        }
        return new JsonArray(elements);
    }

    /** The node name it will have, if it names one (devices refer to it with {@code drive=}). */
    public String nodeName() {
        return options.get("node-name") instanceof JsonString s ? s.value() : null;
    }
}
