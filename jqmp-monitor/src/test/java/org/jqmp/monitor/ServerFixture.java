package org.jqmp.monitor;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.monitor.chardev.ChardevConfig;
import org.jqmp.monitor.chardev.SocketAddressConfig;
import org.jqmp.monitor.chardev.SocketChardevConfig;

/** A running QmpServer on a real Unix or TCP listening socket, for tests. */
final class ServerFixture implements AutoCloseable {
    enum Transport { UNIX, TCP }

    final QmpServer server;
    final Transport transport;
    private final Path socketPath;
    private final int port;

    private ServerFixture(QmpServer server, Transport transport, Path socketPath, int port) {
        this.server = server;
        this.transport = transport;
        this.socketPath = socketPath;
        this.port = port;
    }

    static ServerFixture start(Transport transport, Path dir, CommandTable commands, CompatPolicy compat)
            throws IOException {
        QmpServer server = QmpServer.builder().commands(commands).compat(compat).build();
        Path path = dir.resolve("qmp.sock");
        int port = transport == Transport.TCP ? freePort() : -1;
        SocketAddressConfig address = transport == Transport.UNIX
                ? new SocketAddressConfig.Unix(path)
                : new SocketAddressConfig.Tcp("127.0.0.1", port, false, false);
        String filename = transport == Transport.UNIX
                ? "unix:" + path + ",server=on" : "tcp:127.0.0.1:" + port + ",server=on";
        ChardevConfig chardev = new SocketChardevConfig("compat_monitor0", address, true, false, 0, filename);
        server.start(List.of(chardev), List.of(new MonitorConfig("compat_monitor0", false)));
        return new ServerFixture(server, transport, path, port);
    }

    static ServerFixture start(Transport transport, Path dir) throws IOException {
        return start(transport, dir, CommandTable.builder().build(), CompatPolicy.ACCEPT_ALL);
    }

    RawClient connect() throws IOException {
        return transport == Transport.UNIX ? RawClient.unix(socketPath) : RawClient.tcp(port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
