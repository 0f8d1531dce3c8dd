/**
 * QEMU's JSON dialect: the value model ({@link org.jqmp.json.JsonValue} and its records), the incremental
 * {@link org.jqmp.json.JsonDecoder} that frames QMP input exactly as QEMU's lexer and streamer do, and the
 * {@link org.jqmp.json.JsonEncoder} that writes QEMU's output form. Public API for every jqmp module.
 */
package org.jqmp.json;
