package org.jqmp.qapi.parse;

import java.util.Map;

/**
 * One top-level expression as parsed: an object whose values are {@code String}, {@code Boolean},
 * {@code List<Object>} or {@code Map<String, Object>} (insertion ordered, mutable so that the expression
 * checker can normalize it in place as QEMU's does), where it starts, and its doc comment (may be null).
 * Include directives appear as {@code {'include': <path joined to the includer's directory>}}.
 */
public record ParsedExpr(Map<String, Object> expr, SourceInfo info, DocBuilder doc) {
}
