package org.jqmp.json;

/** A JSON value as QEMU's QObject model sees it: the closed family of seven kinds. */
public sealed interface JsonValue
        permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBool, JsonNull {

    /** The QMP/QAPI name of this value's JSON type, as used in "expected: ..." error texts. */
    String typeName();

    static JsonString of(String s) {
        return new JsonString(s);
    }

    static JsonInt of(long n) {
        return new JsonInt(n);
    }

    static JsonBool of(boolean b) {
        return JsonBool.of(b);
    }
}
