package org.jqmp.client;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.jqmp.monitor.MonitorConfig;
import org.jqmp.monitor.QmpServer;
import org.jqmp.monitor.chardev.ChardevConfig;
import org.jqmp.monitor.chardev.SocketAddressConfig;
import org.jqmp.monitor.chardev.SocketChardevConfig;

/** jqmp's own QMP server, in-process, on a real Unix or TCP listening socket, with a {@link TestMachine}. */
final class JqmpServer implements AutoCloseable {
    enum Transport { UNIX, TCP }

    final QmpServer server;
    final TestMachine machine;
    final QmpAddress address;

    private JqmpServer(QmpServer server, TestMachine machine, QmpAddress address) {
        this.server = server;
        this.machine = machine;
        this.address = address;
    }

    static JqmpServer start(Transport transport, Path dir) throws IOException {
        return start(transport == Transport.UNIX ? new QmpAddress.Unix(dir.resolve("qmp.sock"))
                : new QmpAddress.Tcp("127.0.0.1", freePort()));
    }

    /** Listens at {@code address} (a restart on the same address is how reconnect tests drop a client). */
    static JqmpServer start(QmpAddress address) throws IOException {
        TestMachine machine = new TestMachine();
        QmpServer server = QmpServer.builder().commands(machine.table())
                .threads(Thread.ofPlatform().daemon().name("test-monitor-", 0).factory()).build();
        machine.attach(server.events());
        server.start(List.of(chardev(address, true)), List.of(new MonitorConfig("mon0", false)));
        return new JqmpServer(server, machine, address);
    }

    /** A jqmp monitor that connects out to {@code address} (QEMU's {@code -qmp unix:PATH} client mode). */
    static JqmpServer connectingTo(QmpAddress address) throws IOException {
        TestMachine machine = new TestMachine();
        QmpServer server = QmpServer.builder().commands(machine.table()).build();
        machine.attach(server.events());
        server.start(List.of(chardev(address, false)), List.of(new MonitorConfig("mon0", false)));
        return new JqmpServer(server, machine, address);
    }

    private static ChardevConfig chardev(QmpAddress address, boolean server) {
        return switch (address) {
            case QmpAddress.Unix u -> new SocketChardevConfig("mon0", new SocketAddressConfig.Unix(u.path()), server,
                    false, 0, "unix:" + u.path() + (server ? ",server=on" : ""));
            case QmpAddress.Tcp t -> new SocketChardevConfig("mon0",
                    new SocketAddressConfig.Tcp(t.host(), t.port(), false, false), server, false, 0,
                    "tcp:" + t + (server ? ",server=on" : ""));
        };
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
