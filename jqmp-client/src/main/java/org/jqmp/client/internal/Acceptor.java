package org.jqmp.client.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.time.Duration;
import org.jqmp.client.QmpAddress;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A listening socket that QEMU connects out to ({@code -qmp unix:PATH} without {@code server=on}); each
 * {@link #open} accepts one connection. A Unix socket file left by an earlier run is replaced.
 */
public final class Acceptor implements Connector, AutoCloseable {
    private final ServerSocket server;
    private final QmpAddress address;

    private Acceptor(ServerSocket server, QmpAddress address) {
        this.server = server;
        this.address = address;
    }

    public static Acceptor bind(QmpAddress address) throws IOException {
        return switch (address) {
            case QmpAddress.Unix unix -> {
                Files.deleteIfExists(unix.path());
                AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
                server.bind(AFUNIXSocketAddress.of(unix.path()));
                yield new Acceptor(server, unix);
            }
            case QmpAddress.Tcp tcp -> {
                ServerSocket server = new ServerSocket();
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress(InetAddress.getByName(tcp.host()), tcp.port()));
                yield new Acceptor(server, new QmpAddress.Tcp(tcp.host(), server.getLocalPort()));
            }
        };
    }

    /** Where it listens (a TCP port 0 resolved to the real one). */
    public QmpAddress address() {
        return address;
    }

    @Override
    public Transport open(Duration timeout) throws IOException {
        synchronized (server) {
            server.setSoTimeout(Dialer.timeoutMillis(timeout));
            Socket socket;
            try {
                socket = server.accept();
            } catch (SocketTimeoutException e) {
                throw new IOException("no QMP server connected to " + address + " within " + timeout.toMillis()
                        + " ms", e);
            }
            return new SocketTransport(socket, "accepted on " + address);
        }
    }

    @Override
    public String describe() {
        return "listening on " + address;
    }

    @Override
    public void close() throws IOException {
        server.close();
        if (address instanceof QmpAddress.Unix unix) {
            Files.deleteIfExists(unix.path());
        }
    }
}
