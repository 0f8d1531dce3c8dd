/**
 * The back end of the QAPI compiler: {@link org.jqmp.qapi.gen.JavaGenerator} (Java bindings, with JavaPoet),
 * {@link org.jqmp.qapi.gen.Introspection} (the query-qmp-schema value as QEMU builds it) and
 * {@link org.jqmp.qapi.gen.DocGenerator} (Markdown reference). Public API for the CLI and the Maven plugin;
 * build time only.
 */
package org.jqmp.qapi.gen;
