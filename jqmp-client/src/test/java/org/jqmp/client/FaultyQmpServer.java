package org.jqmp.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.jqmp.json.Json;
import org.jqmp.json.JsonDecoder;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;

/**
 * A raw QMP server over a real TCP socket that misbehaves in one chosen way, for the client's fault tests.
 * It greets, negotiates and answers each command by echoing its arguments as the {@code return} value -
 * except where its {@link Fault} says otherwise.
 */
final class FaultyQmpServer implements AutoCloseable {
    enum Fault {
        /** Sends half of the first command's reply, then closes the connection. */
        CLOSES_MID_REPLY,
        /** Reads commands and never answers them. */
        STALLS,
        /** Sends an event between receiving qmp_capabilities and replying to it. */
        EVENT_BEFORE_NEGOTIATION_REPLY,
        /** Holds three commands, answers an id nobody sent, then the three in reverse order. */
        REPLIES_IN_REVERSE_ORDER,
        /** Writes every reply one byte at a time. */
        DRIPS_BYTES,
        /** Greets with something that is not a QMP greeting. */
        NOT_QMP,
        /** Answers qmp_capabilities with an error. */
        REFUSES_NEGOTIATION,
        /** Answers the first command with broken JSON. */
        SENDS_BAD_JSON,
        /** Speaks as a newer QEMU: query-status has a new member and, with {@code new-state}, an unknown state. */
        NEWER_QEMU,
        /** Answers the first command, then closes (each connection): for reconnect tests. */
        CLOSES_AFTER_ONE_REPLY
    }

    static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7},"
            + " \"package\": \"faulty\"}, \"capabilities\": [\"oob\"]}}\r\n";

    private final ServerSocket listener;
    private final Fault fault;
    private final AtomicInteger connections = new AtomicInteger();

    private FaultyQmpServer(ServerSocket listener, Fault fault) {
        this.listener = listener;
        this.fault = fault;
    }

    static FaultyQmpServer start(Fault fault) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        FaultyQmpServer server = new FaultyQmpServer(listener, fault);
        Thread.ofPlatform().daemon().name("faulty-qmp-accept").start(server::acceptLoop);
        return server;
    }

    QmpAddress address() {
        return new QmpAddress.Tcp("127.0.0.1", listener.getLocalPort());
    }

    int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                connections.incrementAndGet();
                Thread.ofPlatform().daemon().name("faulty-qmp-session").start(() -> session(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket socket) {
        try (socket) {
            OutputStream out = socket.getOutputStream();
            write(out, fault == Fault.NOT_QMP ? "{\"hello\": \"world\"}\r\n" : GREETING);
            Deque<JsonObject> requests = new ArrayDeque<>();
            JsonDecoder decoder = new JsonDecoder(new JsonDecoder.Sink() {
                @Override
                public void value(JsonValue value) {
                    requests.add((JsonObject) value);
                }

                @Override
                public void error(String message) {
                    throw new IllegalStateException(message);
                }
            });
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            Deque<JsonObject> held = new ArrayDeque<>();
            int answered = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                decoder.feed(buffer, 0, n);
                while (!requests.isEmpty()) {
                    JsonObject request = requests.removeFirst();
                    if (!answer(out, request, held, answered++)) {
                        return;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, or a test closed us
        }
    }

    /** Answers one request as the fault dictates; false to close the connection. */
    private boolean answer(OutputStream out, JsonObject request, Deque<JsonObject> held, int index)
            throws IOException {
        String command = ((JsonString) request.get("execute")).value();
        if (command.equals("qmp_capabilities")) {
            return negotiate(out, request);
        }
        return switch (fault) {
            case CLOSES_MID_REPLY -> {
                String reply = reply(request, request.get("arguments"));
                write(out, reply.substring(0, reply.length() / 2));
                yield false;
            }
            case STALLS -> true;
            case REPLIES_IN_REVERSE_ORDER -> {
                held.push(request);
                if (held.size() == 3) {
                    write(out, "{\"return\": {}, \"id\": \"nobody-sent-this\"}\r\n");
                    while (!held.isEmpty()) {
                        JsonObject r = held.pop();
                        write(out, reply(r, r.get("arguments")));
                    }
                }
                yield true;
            }
            case DRIPS_BYTES -> {
                for (byte b : reply(request, request.get("arguments")).getBytes(StandardCharsets.UTF_8)) {
                    out.write(b);
                    out.flush();
                }
                yield true;
            }
            case SENDS_BAD_JSON -> {
                write(out, "{\"return\": }\r\n");
                yield true;
            }
            case NEWER_QEMU -> {
                String state = command.equals("new-state") ? "hibernating" : "running";
                write(out, reply(request, Json.parse("{\"running\": true, \"singlestep\": false, \"status\": \""
                        + state + "\", \"cpu-count\": 4}")));
                yield true;
            }
            case CLOSES_AFTER_ONE_REPLY -> {
                write(out, reply(request, request.get("arguments")));
                yield false;
            }
            default -> {
                write(out, reply(request, request.get("arguments")));
                yield true;
            }
        };
    }

    private boolean negotiate(OutputStream out, JsonObject request) throws IOException {
        if (fault == Fault.REFUSES_NEGOTIATION) {
            write(out, "{\"id\": " + Json.write(request.get("id")) + ", \"error\": {\"class\": \"GenericError\","
                    + " \"desc\": \"Capability oob not available\"}}\r\n");
            return true;
        }
        if (fault == Fault.EVENT_BEFORE_NEGOTIATION_REPLY) {
            write(out, "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"EARLY\"}\r\n");
        }
        write(out, reply(request, JsonObject.EMPTY));
        return true;
    }

    private static String reply(JsonObject request, JsonValue value) {
        JsonValue result = value == null ? JsonObject.EMPTY : value;
        return "{\"return\": " + Json.write(result) + ", \"id\": " + Json.write(request.get("id")) + "}\r\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
