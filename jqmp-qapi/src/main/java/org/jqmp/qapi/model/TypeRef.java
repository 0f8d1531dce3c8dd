package org.jqmp.qapi.model;

import java.util.Objects;

/**
 * A checked reference to a type by name. Types may refer to each other in cycles (a struct with a list of
 * itself), so members hold this handle and the {@link Schema} resolves it; after checking every name here is
 * known to resolve. Equality is by name only.
 */
public final class TypeRef {
    private final String name;
    private final Schema schema;

    TypeRef(String name, Schema schema) {
        this.name = Objects.requireNonNull(name);
        this.schema = Objects.requireNonNull(schema);
    }

    public String name() {
        return name;
    }

    /** The referenced type. */
    public SchemaType type() {
        return schema.type(name).orElseThrow(() -> new IllegalStateException("unresolved type " + name));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TypeRef other && other.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
