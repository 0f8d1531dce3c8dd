package org.jqmp.qapi.model;

import java.util.List;
import java.util.Optional;

/** An event; {@code argType} is the type of its {@code data} member, empty when it has none. */
public record Event(String name, Optional<SourceLocation> location, Optional<DocComment> doc,
                    Condition condition, List<Feature> features, String module, Optional<TypeRef> argType,
                    boolean boxed) implements Definition {
    public Event {
        features = List.copyOf(features);
    }

    @Override
    public String meta() {
        return "event";
    }
}
