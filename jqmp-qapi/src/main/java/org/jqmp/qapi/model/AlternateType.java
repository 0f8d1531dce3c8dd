package org.jqmp.qapi.model;

import java.util.List;
import java.util.Optional;

/** An alternate: one of several types, told apart by the JSON type of the value on the wire. */
public record AlternateType(String name, Optional<SourceLocation> location, Optional<DocComment> doc,
                            Condition condition, List<Feature> features, String module,
                            List<Variant> alternatives) implements SchemaType {
    public AlternateType {
        features = List.copyOf(features);
        alternatives = List.copyOf(alternatives);
    }

    @Override
    public JsonType jsonType() {
        return JsonType.VALUE;
    }

    @Override
    public String meta() {
        return "alternate";
    }
}
