package org.jqmp.client;

import java.nio.file.Path;
import java.util.Objects;

/** Where a QMP monitor is (or where the client listens for a QEMU that connects out). */
public sealed interface QmpAddress {
    /** A Unix domain socket path; the only transport that can pass file descriptors. */
    record Unix(Path path) implements QmpAddress {
        public Unix {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** A TCP host and port. */
    record Tcp(String host, int port) implements QmpAddress {
        public Tcp {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("TCP port " + port + " is not in 0..65535");
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    static QmpAddress unix(Path path) {
        return new Unix(path);
    }

    static QmpAddress tcp(String host, int port) {
        return new Tcp(host, port);
    }

    /**
     * qmp-shell's rule ({@code QEMUMonitorProtocol.parse_address}): {@code host:port} with a numeric port is
     * TCP, anything else a Unix socket path.
     */
    static QmpAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon > 0 && colon < text.length() - 1 && text.substring(colon + 1).chars().allMatch(Character::isDigit)
                && !text.contains("/")) {
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new Tcp(host, Integer.parseInt(text.substring(colon + 1)));
        }
        return new Unix(Path.of(text));
    }
}
