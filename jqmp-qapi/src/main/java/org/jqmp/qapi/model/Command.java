package org.jqmp.qapi.model;

import java.util.List;
import java.util.Optional;

/**
 * A command with its flags. {@code argType} is an object type (implicit {@code q_obj_<name>-arg} for inline
 * data; a union only when {@code boxed}); empty when the command takes no arguments. {@code returnType} is
 * empty when it returns nothing (an empty object on the wire).
 */
public record Command(String name, Optional<SourceLocation> location, Optional<DocComment> doc,
                      Condition condition, List<Feature> features, String module, Optional<TypeRef> argType,
                      Optional<TypeRef> returnType, boolean gen, boolean successResponse, boolean boxed,
                      boolean allowOob, boolean allowPreconfig, boolean coroutine) implements Definition {
    public Command {
        features = List.copyOf(features);
    }

    @Override
    public String meta() {
        return "command";
    }
}
