/**
 * The QMP server: {@link org.jqmp.monitor.QmpServer} runs monitors on chardevs (Unix and TCP sockets, stdio),
 * negotiates, dispatches through a {@link org.jqmp.api.runtime.CommandTable}, and broadcasts events.
 * Public API; the machinery is in {@code org.jqmp.monitor.internal}.
 */
package org.jqmp.monitor;
