package org.jqmp.json;

/**
 * A JSON number as QEMU's parser classifies it: an integer that fits int64 is a {@link JsonInt}; a
 * non-negative one that fits only uint64 is a {@link JsonUint}; everything else is a {@link JsonDouble}.
 */
public sealed interface JsonNumber extends JsonValue permits JsonInt, JsonUint, JsonDouble {
    @Override
    default String typeName() {
        return "number";
    }

    /** The value as a double (what QEMU's qnum_get_double gives). */
    double doubleValue();
}
