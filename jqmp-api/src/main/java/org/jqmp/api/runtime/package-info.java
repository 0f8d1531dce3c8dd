/**
 * What a QMP command is to the monitor, independent of any transport: its definition and flags, the handler
 * that runs it, the error it may give, and the argument reader that checks arguments with QEMU's texts.
 * Hand-written; the QAPI compiler's generated marshallers and registration tables build on it. Public API.
 */
package org.jqmp.api.runtime;
