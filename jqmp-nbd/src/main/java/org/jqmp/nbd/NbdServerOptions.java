package org.jqmp.nbd;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a server runs.
 *
 * @param limits         bounds on client input
 * @param maxConnections most clients at once; 0 for no limit. When reached, new clients wait in the listen
 *                       backlog until one leaves (QEMU's max-connections and qemu-nbd's {@code -e})
 * @param exportDeleted  called once per export when it is really gone: removed and its last client left, or
 *                       the server closed (QEMU emits BLOCK_EXPORT_DELETED then); runs on a server thread
 */
public record NbdServerOptions(NbdLimits limits, int maxConnections, Consumer<NbdExport> exportDeleted) {
    public NbdServerOptions {
        limits = limits == null ? NbdLimits.DEFAULT : limits;
        exportDeleted = exportDeleted == null ? e -> { } : exportDeleted;
        if (maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections must be 0 (no limit) or positive: " + maxConnections);
        }
    }

    public static NbdServerOptions defaults() {
        return new NbdServerOptions(NbdLimits.DEFAULT, 0, null);
    }

    public NbdServerOptions withMaxConnections(int n) {
        return new NbdServerOptions(limits, n, exportDeleted);
    }

    public NbdServerOptions withLimits(NbdLimits l) {
        return new NbdServerOptions(l, maxConnections, exportDeleted);
    }

    public NbdServerOptions withExportDeleted(Consumer<NbdExport> callback) {
        return new NbdServerOptions(limits, maxConnections, Objects.requireNonNull(callback));
    }
}
