/**
 * A QMP client: connect to QEMU (or jqmp) over a Unix or TCP socket, or accept a QEMU that connects out;
 * run commands (dynamic JSON or typed through the generated {@code org.jqmp.api} records), receive events,
 * pass file descriptors. Public API for users of jqmp; start at {@link org.jqmp.client.QmpClient}.
 */
package org.jqmp.client;
