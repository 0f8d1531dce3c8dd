package org.jqmp.json;

/** {@code null}. */
public enum JsonNull implements JsonValue {
    NULL;

    @Override
    public String typeName() {
        return "null";
    }
}
