package org.jqmp.client.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jqmp.client.QmpAddress;
import org.jqmp.json.JsonDecoder;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonValue;

/**
 * The server end of one real Unix socket, driven step by step by a test: it greets, then hands the test each
 * request as it arrives and writes exactly what the test tells it to, when it tells it to - so that a test can
 * decide in which order replies and events reach the client.
 */
final class ScriptedQmpPeer implements AutoCloseable {
    private static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, "
            + "\"major\": 7}, \"package\": \"scripted\"}, \"capabilities\": []}}";

    private final ServerSocketChannel listener;
    private final Path path;
    private final BlockingQueue<JsonObject> requests = new LinkedBlockingQueue<>();
    private volatile SocketChannel peer;

    private ScriptedQmpPeer(ServerSocketChannel listener, Path path) {
        this.listener = listener;
        this.path = path;
    }

    static ScriptedQmpPeer listen(Path dir) throws IOException {
        Path path = dir.resolve("scripted.sock");
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(path));
        ScriptedQmpPeer scripted = new ScriptedQmpPeer(listener, path);
        Thread.ofPlatform().daemon().name("scripted-qmp-peer").start(scripted::serve);
        return scripted;
    }

    QmpAddress address() {
        return QmpAddress.unix(path);
    }

    private void serve() {
        try {
            peer = listener.accept();
            send(GREETING);
            JsonDecoder decoder = new JsonDecoder(new JsonDecoder.Sink() {
                @Override
                public void value(JsonValue value) {
                    requests.add((JsonObject) value);
                }

                @Override
                public void error(String message) {
                    throw new IllegalStateException("the client sent bad JSON: " + message);
                }
            });
            ByteBuffer in = ByteBuffer.allocate(4096);
            while (peer.read(in.clear()) > 0) {
                decoder.feed(in.flip());
            }
        } catch (IOException e) {
            // closed by the test
        }
    }

    /** The next request the client sent (waits for it). */
    JsonObject receive() throws InterruptedException {
        JsonObject request = requests.poll(10, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("the client sent no request within 10 s");
        }
        return request;
    }

    void send(String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            peer.write(out);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        SocketChannel p = peer;
        if (p != null) {
            p.close();
        }
    }
}
