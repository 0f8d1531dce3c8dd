package org.jqmp.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A raw connection to any QMP server (jqmp or the real QEMU) that records, per step, every message that came
 * back: it sends the step's bytes, then a marker command, and cuts the step at the marker's reply - the same
 * method the fixtures were recorded with.
 */
final class QmpConnection implements AutoCloseable {
    private final AFUNIXSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private int marker;

    private QmpConnection(AFUNIXSocket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(20_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects, retrying while the server starts (up to 20 s). */
    static QmpConnection open(Path path) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            try {
                if (Files.exists(path)) {
                    return new QmpConnection(AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path)));
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("no QMP socket at " + path);
            }
            Thread.sleep(50);
        }
    }

    JsonObject readMessage() throws IOException {
        return (JsonObject) parse(readLine());
    }

    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends the step, then the marker; returns everything that came before the marker's reply. */
    List<JsonObject> step(byte[] bytes) throws IOException {
        send(bytes);
        String id = "__sync__" + (marker++);
        send(("{\"execute\":\"query-version\",\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
        List<JsonObject> received = new ArrayList<>();
        while (true) {
            JsonObject message = readMessage();
            if (new JsonString(id).equals(message.get("id"))) {
                return received;
            }
            received.add(message);
        }
    }

    /** Like {@link #step}, with file descriptors passed (SCM_RIGHTS) along with the step's bytes. */
    List<JsonObject> stepWithFds(byte[] bytes, java.io.FileDescriptor... fds) throws IOException {
        socket.setOutboundFileDescriptors(fds);
        try {
            send(bytes);
        } finally {
            socket.setOutboundFileDescriptors((java.io.FileDescriptor[]) null);
        }
        return step(new byte[0]);
    }

    /**
     * Pretty mode: sends the step and the marker, and returns each message that came before the marker's
     * reply as raw text (its lines joined by CRLF, as they were sent).
     */
    List<String> stepPretty(byte[] bytes) throws IOException {
        send(bytes);
        String id = "__sync__" + (marker++);
        send(("{\"execute\":\"query-version\",\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
        List<String> received = new ArrayList<>();
        while (true) {
            StringBuilder message = new StringBuilder();
            String line;
            do {
                line = readLine();
                message.append(line).append("\r\n");
            } while (!line.equals("}"));
            if (message.toString().contains("\"" + id + "\"")) {
                return received;
            }
            received.add(message.toString());
        }
    }

    /** Everything that arrives within the time (events during a pause). */
    List<JsonObject> drain(long millis) throws IOException {
        List<JsonObject> received = new ArrayList<>();
        socket.setSoTimeout((int) millis);
        try {
            while (true) {
                received.add(readMessage());
            }
        } catch (java.net.SocketTimeoutException e) {
            return received;
        } finally {
            socket.setSoTimeout(20_000);
        }
    }

    /** One complete JSON value, in QEMU's dialect. */
    static JsonValue parse(String text) {
        return org.jqmp.json.Json.parse(text);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
