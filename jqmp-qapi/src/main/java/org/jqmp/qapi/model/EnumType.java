package org.jqmp.qapi.model;

import java.util.List;
import java.util.Optional;

/** An enum; {@code prefix} overrides the C (and generated constant) prefix. */
public record EnumType(String name, Optional<SourceLocation> location, Optional<DocComment> doc,
                       Condition condition, List<Feature> features, String module, List<EnumValue> values,
                       Optional<String> prefix) implements SchemaType {
    public EnumType {
        features = List.copyOf(features);
        values = List.copyOf(values);
    }

    @Override
    public JsonType jsonType() {
        return JsonType.STRING;
    }

    @Override
    public String meta() {
        return "enum";
    }

    @Override
    public boolean isImplicit() {
        return name.equals("QType");
    }

    public List<String> valueNames() {
        return values.stream().map(EnumValue::name).toList();
    }
}
