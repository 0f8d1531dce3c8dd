package org.jqmp.monitor.chardev;

import java.nio.file.Path;

/** Where a socket chardev listens or connects. */
public sealed interface SocketAddressConfig {

    /** A Unix domain socket at a file system path. */
    record Unix(Path path) implements SocketAddressConfig {
    }

    /**
     * A TCP endpoint. {@code host} may be empty (QEMU: all addresses); {@code ipv4}/{@code ipv6} restrict the
     * family as QEMU's options of the same names do.
     */
    record Tcp(String host, int port, boolean ipv4, boolean ipv6) implements SocketAddressConfig {
    }
}
