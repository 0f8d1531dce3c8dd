package org.jqmp.json;

import java.util.Objects;

/** A JSON string. May hold U+0000 (QEMU's modified UTF-8 reads {@code \xC0\x80} and {@code \u0000} as NUL). */
public record JsonString(String value) implements JsonValue {
    public JsonString {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String typeName() {
        return "string";
    }
}
