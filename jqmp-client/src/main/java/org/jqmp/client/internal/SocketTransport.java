package org.jqmp.client.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.newsclub.net.unix.AFUNIXSocket;

/** A connected TCP socket (JDK) or Unix socket (junixsocket, with SCM_RIGHTS). */
final class SocketTransport implements Transport {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String description;
    private int timeoutMillis; // the socket's SO_TIMEOUT, set only when it changes (one syscall less per read)

    SocketTransport(Socket socket, String description) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.description = description;
        this.timeoutMillis = socket.getSoTimeout();
        if (!(socket instanceof AFUNIXSocket)) {
            socket.setTcpNoDelay(true);
        }
    }

    @Override
    public int read(byte[] buffer, int timeoutMillis) throws IOException {
        if (timeoutMillis != this.timeoutMillis) {
            socket.setSoTimeout(timeoutMillis);
            this.timeoutMillis = timeoutMillis;
        }
        try {
            return in.read(buffer);
        } catch (SocketTimeoutException e) {
            return 0; // the socket stays usable (java.net.Socket#setSoTimeout)
        }
    }

    @Override
    public void write(byte[] bytes, int length, FileDescriptor[] fds) throws IOException {
        if (fds.length > 0) {
            if (!(socket instanceof AFUNIXSocket unix)) {
                throw new IOException("file descriptors can only be passed over a Unix socket, not " + description);
            }
            unix.setOutboundFileDescriptors(fds);
        }
        out.write(bytes, 0, length);
        out.flush();
    }

    @Override
    public boolean canPassFds() {
        return socket instanceof AFUNIXSocket;
    }

    @Override
    public boolean needsPlatformThread() {
        return socket instanceof AFUNIXSocket;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is best effort; the reader sees the end either way
        }
    }
}
