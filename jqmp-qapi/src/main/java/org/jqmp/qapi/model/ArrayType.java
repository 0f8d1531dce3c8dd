package org.jqmp.qapi.model;

import java.util.List;
import java.util.Optional;

/**
 * An array type, named {@code <element>List} as in QEMU (names ending in List are reserved for these).
 * Its condition and module are its element's.
 */
public record ArrayType(String name, Optional<SourceLocation> location, TypeRef elementType) implements SchemaType {

    @Override
    public Optional<DocComment> doc() {
        return Optional.empty();
    }

    @Override
    public Condition condition() {
        return elementType.type().condition();
    }

    @Override
    public List<Feature> features() {
        return List.of();
    }

    @Override
    public String module() {
        return elementType.type().module();
    }

    @Override
    public JsonType jsonType() {
        return JsonType.ARRAY;
    }

    @Override
    public String meta() {
        return "array";
    }

    @Override
    public boolean isImplicit() {
        return true;
    }

    @Override
    public String describe() {
        return "array type ['" + elementType.name() + "']";
    }
}
