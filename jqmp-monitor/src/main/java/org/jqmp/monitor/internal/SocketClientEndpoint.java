package org.jqmp.monitor.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import org.jqmp.monitor.YankRegistry;
import org.jqmp.monitor.chardev.SocketAddressConfig;
import org.jqmp.monitor.chardev.SocketChardevConfig;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * {@code server=off}: jqmp connects out to a listening manager. The first connection must succeed at start-up
 * (as in QEMU) unless {@code reconnect=N} is set, in which case jqmp keeps trying every N seconds, and after
 * every disconnect waits N seconds and connects again, negotiating afresh.
 */
final class SocketClientEndpoint implements Endpoint {
    private final SocketChardevConfig config;
    private final MonitorContext monitor;
    private final boolean pretty;
    private final YankRegistry yank;
    private final org.jqmp.api.YankInstance yankInstance;
    private volatile boolean closed;
    private volatile Connection current;
    private volatile Socket currentSocket;
    private Thread thread;

    SocketClientEndpoint(SocketChardevConfig config, MonitorContext monitor, boolean pretty, YankRegistry yank) {
        this.config = config;
        this.monitor = monitor;
        this.pretty = pretty;
        this.yank = yank;
        this.yankInstance = YankRegistry.chardev(config.id());
    }

    @Override
    public void start() throws IOException {
        Connection first = null;
        try {
            first = connect();
        } catch (IOException e) {
            if (config.reconnectSeconds() <= 0) {
                throw new IOException("Failed to connect to '" + describe() + "': " + e.getMessage(), e);
            }
        }
        yank.register(yankInstance);
        yank.addAction(yankInstance, this::dropConnection);
        Connection initial = first;
        boolean unix = config.address() instanceof SocketAddressConfig.Unix;
        thread = (unix ? monitor.platformThreads() : monitor.threads()).newThread(() -> loop(initial));
        thread.start();
    }

    private void loop(Connection initial) {
        Connection connection = initial;
        while (!closed) {
            if (connection != null) {
                current = connection;
                monitor.runSession(connection, pretty);
                current = null;
            }
            if (closed || config.reconnectSeconds() <= 0) {
                return;
            }
            try {
                Thread.sleep(config.reconnectSeconds() * 1000L);
                connection = connect();
            } catch (IOException e) {
                connection = null;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Connection connect() throws IOException {
        return switch (config.address()) {
            case SocketAddressConfig.Unix(Path path) -> {
                AFUNIXSocket socket = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path));
                currentSocket = socket;
                yield new UnixConnection(socket);
            }
            case SocketAddressConfig.Tcp tcp -> {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(tcp.host().isEmpty() ? "localhost" : tcp.host(), tcp.port()));
                socket.setTcpNoDelay(true);
                currentSocket = socket;
                yield new StreamConnection(socket.getInputStream(), socket.getOutputStream(), socket);
            }
        };
    }

    @Override
    public String id() {
        return config.id();
    }

    @Override
    public String filename() {
        Socket socket = currentSocket;
        if (current == null || socket == null) {
            return "disconnected:" + config.filename();
        }
        return SocketNames.connected(socket, "", false);
    }

    private String describe() {
        return switch (config.address()) {
            case SocketAddressConfig.Unix(Path path) -> path.toString();
            case SocketAddressConfig.Tcp tcp -> tcp.host() + ":" + tcp.port();
        };
    }

    private void dropConnection() {
        Connection connection = current;
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        yank.unregister(yankInstance);
        dropConnection();
        if (thread != null) {
            thread.interrupt();
        }
    }
}
