/**
 * The QAPI schema compiler's public API: {@link org.jqmp.qapi.QapiCompiler} parses and checks a schema into
 * the model of {@code org.jqmp.qapi.model}; {@link org.jqmp.qapi.QapiError} reports problems in QEMU's words.
 * Used at build time only (CLI, Maven plugin); nothing at run time depends on it.
 */
package org.jqmp.qapi;
