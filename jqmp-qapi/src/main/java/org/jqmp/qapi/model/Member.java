package org.jqmp.qapi.model;

import java.util.List;

/**
 * A member of an object type (struct member, union base member, command or event argument).
 *
 * @param definedIn the type that declares it (an implicit {@code q_obj_*} type for inline data), which differs
 *                  from the owner for members inherited from a base
 */
public record Member(String name, TypeRef type, boolean optional, Condition condition, List<Feature> features,
                     String definedIn) {
    public Member {
        features = List.copyOf(features);
    }
}
