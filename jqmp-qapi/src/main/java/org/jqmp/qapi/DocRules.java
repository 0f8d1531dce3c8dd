package org.jqmp.qapi;

/**
 * Which generation of QEMU's doc-comment rules to check against. The expression language is the same for the
 * schemas jqmp reads, but the doc comment grammar changed in QEMU 9.x: {@code Note:} and {@code Example:}
 * sections were replaced by rST directives, continuation lines must be indented, {@code Errors:} became a
 * section, and undocumented members became an error (unless listed in the {@code documentation-exceptions}
 * pragma).
 */
public enum DocRules {
    /** QEMU 9.2 and later (10.2's scripts/qapi/parser.py). The default. */
    CURRENT,
    /** QEMU 8.0 and earlier (7.2's parser): Note/Example sections, free indentation, missing docs allowed. */
    LEGACY
}
