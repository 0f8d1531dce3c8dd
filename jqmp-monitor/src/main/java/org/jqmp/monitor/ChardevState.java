package org.jqmp.monitor;

/**
 * A monitor chardev as {@code query-chardev} reports it: its label, QEMU's {@code filename} for its state now
 * ({@code disconnected:...} while no client is connected, the peer's address on a connected TCP socket), and
 * whether its front end is open (a monitor opens its chardev at once).
 */
public record ChardevState(String label, String filename, boolean frontendOpen) {
}
