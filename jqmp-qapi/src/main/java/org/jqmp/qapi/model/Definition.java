package org.jqmp.qapi.model;

import java.util.List;
import java.util.Optional;

/**
 * Every named, checked entity of a schema: the types (built-in, enum, array, object, alternate), commands and
 * events. Generators and the introspection builder switch over this sealed family.
 */
public sealed interface Definition permits SchemaType, Command, Event {

    String name();

    /** The definition in the source; empty for built-in types and their arrays. Implicit types point at the
     * definition that caused them. */
    Optional<SourceLocation> location();

    /** The doc comment attached to the definition, if any. */
    Optional<DocComment> doc();

    Condition condition();

    List<Feature> features();

    /** The schema module (file relative to the main schema's directory, or {@code ./builtin}). */
    String module();

    /** QEMU's meta-type word: built-in, enum, array, struct, union, alternate, command, event. */
    String meta();

    /** Types the compiler made up (q_empty, q_obj_*, arrays, QType) rather than the schema defining them. */
    default boolean isImplicit() {
        return location().isEmpty();
    }

    default boolean hasFeature(String featureName) {
        return features().stream().anyMatch(f -> f.name().equals(featureName));
    }

    /** "struct 'Foo'", "command 'quit'": QEMU's way of naming the entity in messages. */
    default String describe() {
        return this instanceof SchemaType ? meta() + " type '" + name() + "'" : meta() + " '" + name() + "'";
    }
}
