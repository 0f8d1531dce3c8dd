package org.jqmp.monitor.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.jqmp.monitor.YankRegistry;
import org.jqmp.monitor.chardev.SocketAddressConfig;
import org.jqmp.monitor.chardev.SocketChardevConfig;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * {@code server=on}: listens, and gives every client that connects its own session at once. QEMU serves one
 * client per socket chardev and leaves the others waiting in the backlog; jqmp serves them all concurrently.
 */
final class SocketServerEndpoint implements Endpoint {
    private final SocketChardevConfig config;
    private final MonitorContext monitor;
    private final boolean pretty;
    private final YankRegistry yank;
    private final org.jqmp.api.YankInstance yankInstance;
    private final CountDownLatch firstClient = new CountDownLatch(1);
    private ServerSocket listener;
    /** Live clients, newest last; query-chardev shows the newest (QEMU has only ever one). */
    private final java.util.Deque<Socket> clients = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    SocketServerEndpoint(SocketChardevConfig config, MonitorContext monitor, boolean pretty, YankRegistry yank) {
        this.config = config;
        this.monitor = monitor;
        this.pretty = pretty;
        this.yank = yank;
        this.yankInstance = YankRegistry.chardev(config.id());
    }

    @Override
    public void start() throws IOException {
        listener = switch (config.address()) {
            case SocketAddressConfig.Unix(Path path) -> bindUnix(path);
            case SocketAddressConfig.Tcp tcp -> bindTcp(tcp);
        };
        yank.register(yankInstance);
        boolean unix = config.address() instanceof SocketAddressConfig.Unix;
        (unix ? monitor.platformThreads() : monitor.threads()).newThread(this::acceptLoop).start();
        if (config.waitForClient()) {
            System.err.println("jqmp: info: waiting for connection on: disconnected:" + config.filename());
            try {
                firstClient.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the first client on " + config.filename());
            }
        }
    }

    /** QEMU removes a stale socket file before binding, and so do we. */
    private static ServerSocket bindUnix(Path path) throws IOException {
        AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
        try {
            Files.deleteIfExists(path);
            server.bind(AFUNIXSocketAddress.of(path));
        } catch (IOException e) {
            server.close();
            // QEMU: "Failed to bind socket to PATH: <strerror>"
            throw new IOException("Failed to bind socket to " + path + ": " + reason(e), e);
        }
        return server;
    }

    /** The system's words for the failure, without the path junixsocket may add. */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        String message = String.valueOf(e.getMessage());
        int colon = message.lastIndexOf(": ");
        return colon >= 0 ? message.substring(colon + 2) : message;
    }

    private static ServerSocket bindTcp(SocketAddressConfig.Tcp tcp) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        InetSocketAddress address = tcp.host().isEmpty()
                ? new InetSocketAddress(tcp.port()) : new InetSocketAddress(tcp.host(), tcp.port());
        server.bind(address, 64);
        return server;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = listener.accept();
                serve(socket);
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("jqmp: " + config.filename() + ": accept failed: " + e.getMessage());
                }
                return;
            }
        }
    }

    private void serve(Socket socket) throws IOException {
        Connection connection;
        if (socket instanceof AFUNIXSocket unix) {
            connection = new UnixConnection(unix);
        } else {
            socket.setTcpNoDelay(true);
            connection = new StreamConnection(socket.getInputStream(), socket.getOutputStream(), socket);
        }
        Runnable yankAction = () -> closeQuietly(connection);
        yank.addAction(yankInstance, yankAction);
        clients.addLast(socket);
        monitor.startSession(connection, pretty, () -> {
            yank.removeAction(yankInstance, yankAction);
            clients.remove(socket);
        });
        firstClient.countDown();
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public String id() {
        return config.id();
    }

    @Override
    public String filename() {
        Socket newest = clients.peekLast();
        if (newest == null) {
            return "disconnected:" + config.filename();
        }
        String path = config.address() instanceof SocketAddressConfig.Unix(Path p) ? p.toString() : "";
        return SocketNames.connected(newest, path, true);
    }

    @Override
    public void close() {
        closed = true;
        yank.unregister(yankInstance);
        firstClient.countDown();
        try {
            if (listener != null) {
                listener.close();
            }
            if (config.address() instanceof SocketAddressConfig.Unix(Path path)) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // best effort at shutdown
        }
    }
}
