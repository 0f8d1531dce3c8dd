package org.jqmp.monitor;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.jqmp.json.JsonObject;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A bare QMP client for tests: writes raw bytes, reads CRLF-terminated lines. No protocol smarts, so tests
 * see exactly what the server sends.
 */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        socket.setSoTimeout(10_000);
    }

    static RawClient unix(Path path) throws IOException {
        return new RawClient(AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path)));
    }

    static RawClient tcp(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.setTcpNoDelay(true);
        return new RawClient(s);
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends bytes with file descriptors attached (SCM_RIGHTS), as QEMU's Python client does. */
    void sendWithFds(byte[] bytes, FileDescriptor... fds) throws IOException {
        ((AFUNIXSocket) socket).setOutboundFileDescriptors(fds);
        send(bytes);
    }

    /** The next line, without its CRLF; fails if it does not end in CRLF. */
    String readLine() throws IOException {
        line.reset();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream after '" + line.toString(StandardCharsets.ISO_8859_1) + "'");
            }
            if (b == '\n') {
                if (prev != '\r') {
                    throw new IOException("line not terminated by CRLF: " + line);
                }
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            prev = b;
        }
    }

    JsonObject readObject() throws IOException {
        return (JsonObject) parse(readLine());
    }

    /** One complete JSON value, in QEMU's dialect. */
    static org.jqmp.json.JsonValue parse(String text) {
        return org.jqmp.json.Json.parse(text);
    }

    /** Greeting, then qmp_capabilities (with oob if asked); returns the greeting. */
    JsonObject negotiate(boolean oob) throws IOException {
        JsonObject greeting = readObject();
        send(oob ? "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]}}"
                : "{\"execute\":\"qmp_capabilities\"}");
        String reply = readLine();
        if (!reply.equals("{\"return\": {}}")) {
            throw new IOException("negotiation failed: " + reply);
        }
        return greeting;
    }

    /** True if nothing arrives within the time (used to show that nothing more was sent). */
    boolean silentFor(Duration duration) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout((int) duration.toMillis());
        try {
            int b = in.read();
            if (b < 0) {
                return true;
            }
            line.reset();
            line.write(b);
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(old);
        }
    }

    /** True once the server has closed the connection. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
