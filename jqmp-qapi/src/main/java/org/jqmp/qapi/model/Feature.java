package org.jqmp.qapi.model;

/**
 * A feature flag on a definition, member or enum value. {@code deprecated} and {@code unstable} are special:
 * they drive the {@code -compat} policies; any other name is informational and only shows in introspection.
 */
public record Feature(String name, Condition condition) {
    public static final String DEPRECATED = "deprecated";
    public static final String UNSTABLE = "unstable";

    public boolean isSpecial() {
        return name.equals(DEPRECATED) || name.equals(UNSTABLE);
    }
}
