package org.jqmp.qapi.model;

import java.util.Optional;

/**
 * One section of a doc comment. {@code name} is the member or feature name for {@link Kind#MEMBER} and
 * {@link Kind#FEATURE} sections. Text has the tag and the {@code @name:} removed and the indentation of
 * continuation lines kept as written.
 */
public record DocSection(Kind kind, Optional<String> name, String text, SourceLocation location) {

    /** Section kinds. NOTE and EXAMPLE exist only under the QEMU 7.2 rules ({@code Note:}, {@code Example:}). */
    public enum Kind {
        PLAIN, MEMBER, FEATURE, RETURNS, ERRORS, SINCE, TODO, NOTE, EXAMPLE;

        /** The tag as written in the schema, e.g. "Returns". */
        public String tag() {
            String lower = name().toLowerCase(java.util.Locale.ROOT);
            return this == TODO ? "TODO" : Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
        }
    }
}
