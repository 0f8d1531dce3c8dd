package org.jqmp.json;

import java.util.List;

/** A JSON array. */
public record JsonArray(List<JsonValue> elements) implements JsonValue {
    public static final JsonArray EMPTY = new JsonArray(List.of());

    public JsonArray {
        elements = List.copyOf(elements);
    }

    public static JsonArray of(JsonValue... elements) {
        return new JsonArray(List.of(elements));
    }

    public JsonValue get(int i) {
        return elements.get(i);
    }

    public int size() {
        return elements.size();
    }

    @Override
    public String typeName() {
        return "array";
    }
}
