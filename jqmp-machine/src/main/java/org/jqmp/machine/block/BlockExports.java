package org.jqmp.machine.block;

import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jqmp.api.BlockExportEvents;
import org.jqmp.api.BlockExportInfo;
import org.jqmp.api.BlockExportOptions;
import org.jqmp.api.BlockExportRemoveMode;
import org.jqmp.api.BlockExportType;
import org.jqmp.api.NbdServerAddOptions;
import org.jqmp.api.SocketAddressLegacy;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.nbd.NbdException;
import org.jqmp.nbd.NbdExport;
import org.jqmp.nbd.NbdServer;
import org.jqmp.nbd.NbdServerOptions;

/**
 * The machine's block exports over NBD ({@code nbd-server-start}/{@code -stop}, {@code nbd-server-add}/
 * {@code -remove}, {@code block-export-add}/{@code -del}, {@code query-block-exports}) on jqmp-nbd's server,
 * with QEMU 7.2's texts. An export reads and writes its node directly, as QEMU's export has its own unnamed
 * backend: the drives' statistics do not count its requests, but the node's highest written offset does.
 */
final class BlockExports {
    private final BlockDevices devices;
    private final BlockExportEvents events;
    private final Map<String, Export> exports = new LinkedHashMap<>();
    private NbdServer server;

    /** An export as QMP names it: its id, the node it serves, the name NBD clients ask for. */
    private record Export(String id, Node node, String nbdName) {
    }

    BlockExports(BlockDevices devices, BlockExportEvents events) {
        this.devices = devices;
        this.events = events;
    }

    synchronized void start(SocketAddressLegacy addr, String tlsCreds, Long maxConnections) {
        if (server != null) {
            throw QmpException.generic("NBD server already running");
        }
        if (tlsCreds != null) {
            throw QmpException.generic("No TLS credentials with id '" + tlsCreds + "'");
        }
        SocketAddress address = address(addr);
        NbdServerOptions options = NbdServerOptions.defaults().withExportDeleted(this::deleted);
        if (maxConnections != null && maxConnections > 0) {
            options = options.withMaxConnections((int) Math.min(Integer.MAX_VALUE, maxConnections));
        }
        try {
            server = NbdServer.start(address, options);
        } catch (NbdException e) {
            String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                    : e.getMessage();
            throw QmpException.generic(address instanceof UnixDomainSocketAddress u
                    ? "Failed to bind socket to " + u.getPath() + ": " + strerror(why)
                    : "Failed to find an available port: " + strerror(why));
        }
    }

    private static String strerror(String javaMessage) {
        if (javaMessage.contains("No such file")) {
            return "No such file or directory";
        }
        if (javaMessage.contains("Address already in use")) {
            return "Address already in use";
        }
        if (javaMessage.contains("Permission denied")) {
            return "Permission denied";
        }
        return javaMessage;
    }

    private static SocketAddress address(SocketAddressLegacy addr) {
        return switch (addr) {
            case SocketAddressLegacy.Unix u -> UnixDomainSocketAddress.of(u.branch().data().path());
            case SocketAddressLegacy.Inet i -> {
                String host = i.branch().data().host(), port = i.branch().data().port();
                try {
                    yield new java.net.InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(port));
                } catch (UnknownHostException | NumberFormatException e) {
                    throw QmpException.generic("address resolution failed for " + host + ":" + port
                            + ": Name or service not known");
                }
            }
            default -> throw QmpException.generic("jqmp's NBD server listens on unix and inet addresses only");
        };
    }

    synchronized void stop() {
        if (server == null) {
            throw QmpException.generic("NBD server not running");
        }
        NbdServer s = server;
        server = null;
        s.close(); // deletes every export: BLOCK_EXPORT_DELETED for each
    }

    /** {@code nbd-server-add} (deprecated): an export whose id is its NBD name; device or node name. */
    synchronized void nbdServerAdd(NbdServerAddOptions o) {
        requireServer();
        String name = o.name() != null ? o.name() : o.device();
        Node node = deviceOrNode(o.device());
        add(name, node, name, o.description(), Boolean.TRUE.equals(o.writable()));
    }

    synchronized void blockExportAdd(BlockExportOptions o) {
        Node node = devices.graph().lookup(o.nodeName());
        if (node == null) {
            throw QmpException.generic("Cannot find device='' nor node-name='" + o.nodeName() + "'");
        }
        if (!(o instanceof BlockExportOptions.Nbd nbd)) {
            throw QmpException.generic("Export type '" + o.type().wireName()
                    + "' is not supported by jqmp (it exports over NBD)");
        }
        requireServer();
        String name = nbd.branch().name() != null ? nbd.branch().name() : o.nodeName();
        add(o.id(), node, name, nbd.branch().description(), Boolean.TRUE.equals(o.writable()));
    }

    private void add(String id, Node node, String nbdName, String description, boolean writable) {
        if (exports.containsKey(id)) {
            throw QmpException.generic("Block export id '" + id + "' is already in use");
        }
        boolean canWrite = writable && !node.driver().isReadOnly();
        try {
            server.addExport(new NbdExport(nbdName, description, new NodeWrites(node), canWrite));
        } catch (NbdException e) {
            throw QmpException.generic(e.getMessage());
        }
        exports.put(id, new Export(id, node, nbdName));
    }

    synchronized void remove(String id, BlockExportRemoveMode mode) {
        Export e = exports.get(id);
        if (e == null || server == null) {
            throw QmpException.generic("Export '" + id + "' is not found");
        }
        boolean hard = mode == BlockExportRemoveMode.HARD;
        if (!hard && server.connections(e.nbdName()) > 0) {
            // QEMU 7.2's safe mode refuses while a client is connected (observed); hard disconnects them
            throw QmpException.generic("export '" + id + "' still in use");
        }
        try {
            server.removeExport(e.nbdName(), hard);
        } catch (NbdException x) {
            throw QmpException.generic("Export '" + id + "' is not found");
        }
    }

    /** Clients in transmission on the export {@code id}. */
    synchronized int clients(String id) {
        Export e = exports.get(id);
        return e == null || server == null ? 0 : server.connections(e.nbdName());
    }

    synchronized List<BlockExportInfo> query() {
        List<BlockExportInfo> out = new ArrayList<>();
        if (server != null) {
            Map<String, Boolean> shutting = new LinkedHashMap<>();
            server.exports().forEach(s -> shutting.put(s.export().name(), s.shuttingDown()));
            for (Export e : exports.values()) {
                out.addFirst(new BlockExportInfo(e.id(), BlockExportType.NBD, e.node().name(),
                        shutting.getOrDefault(e.nbdName(), true)));
            }
        }
        return out;
    }

    /** The server's callback when an export is really gone (its last client left, or the server stopped). */
    private void deleted(NbdExport export) {
        String id = null;
        synchronized (this) {
            for (Export e : exports.values()) {
                if (e.nbdName().equals(export.name())) {
                    id = e.id();
                }
            }
            if (id != null) {
                exports.remove(id);
            }
        }
        if (id != null) {
            events.blockExportDeleted(id);
        }
    }

    private void requireServer() {
        if (server == null) {
            throw QmpException.generic("NBD server not running");
        }
    }

    /** {@code bdrv_lookup_bs(device, device)}: a drive's medium or a node. */
    private Node deviceOrNode(String name) {
        Drive drive = devices.drive(name);
        if (drive != null && drive.medium().isPresent()) {
            return drive.medium().get();
        }
        Node node = devices.graph().lookup(name);
        if (node == null) {
            throw QmpException.generic("Cannot find device='" + name + "' nor node-name='" + name + "'");
        }
        return node;
    }

    synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
