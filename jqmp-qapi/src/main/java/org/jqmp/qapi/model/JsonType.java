package org.jqmp.qapi.model;

/** The JSON type a schema type takes on the wire, with introspection's {@code json-type} spelling. */
public enum JsonType {
    STRING("string"), NUMBER("number"), INT("int"), BOOLEAN("boolean"), NULL("null"), OBJECT("object"),
    ARRAY("array"), VALUE("value");

    private final String wireName;

    JsonType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
