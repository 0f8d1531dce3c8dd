package org.jqmp.client.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.jqmp.client.QmpAddress;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** Connects to a listening QMP server. */
public record Dialer(QmpAddress address) implements Connector {
    @Override
    public Transport open(Duration timeout) throws IOException {
        return switch (address) {
            case QmpAddress.Unix unix -> {
                AFUNIXSocket socket = AFUNIXSocket.newInstance();
                try {
                    socket.connect(AFUNIXSocketAddress.of(unix.path()), timeoutMillis(timeout));
                } catch (IOException e) {
                    socket.close();
                    throw new IOException("cannot connect to Unix socket " + unix.path() + ": " + e.getMessage(), e);
                }
                yield new SocketTransport(socket, unix.toString());
            }
            case QmpAddress.Tcp tcp -> {
                Socket socket = new Socket();
                try {
                    socket.connect(new InetSocketAddress(tcp.host(), tcp.port()), timeoutMillis(timeout));
                } catch (IOException e) {
                    socket.close();
                    throw new IOException("cannot connect to " + tcp + ": " + e.getMessage(), e);
                }
                yield new SocketTransport(socket, tcp.toString());
            }
        };
    }

    static int timeoutMillis(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    @Override
    public String describe() {
        return address.toString();
    }
}
