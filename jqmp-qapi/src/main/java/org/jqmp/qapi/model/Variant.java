package org.jqmp.qapi.model;

/**
 * A union branch (selected by a discriminator value, always an object type; {@code q_empty} for values the
 * schema leaves out) or an alternative of an alternate (selected by the JSON type on the wire).
 */
public record Variant(String name, TypeRef type, Condition condition) {
}
