package org.jqmp.monitor.chardev;

/** One {@code -chardev} (or the chardev implied by {@code -qmp}/{@code -mon}), identified by its id/label. */
public sealed interface ChardevConfig permits SocketChardevConfig, StdioChardevConfig {
    /** The chardev's id, which {@code query-chardev} reports as {@code label}. */
    String id();

    /** QEMU's {@code filename} for this chardev in {@code query-chardev}, e.g. {@code unix:/tmp/q.sock,server=on}. */
    String filename();
}
