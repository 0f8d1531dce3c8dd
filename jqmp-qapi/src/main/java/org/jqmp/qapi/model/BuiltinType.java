package org.jqmp.qapi.model;

import java.util.List;
import java.util.Optional;

/** One of QAPI's built-in types: str, number, int, int8..int64, uint8..uint64, size, bool, any, null. */
public record BuiltinType(String name, JsonType jsonType) implements SchemaType {
    public static final String MODULE = "./builtin";

    @Override
    public Optional<SourceLocation> location() {
        return Optional.empty();
    }

    @Override
    public Optional<DocComment> doc() {
        return Optional.empty();
    }

    @Override
    public Condition condition() {
        return Condition.Always.INSTANCE;
    }

    @Override
    public List<Feature> features() {
        return List.of();
    }

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public String meta() {
        return "built-in";
    }
}
