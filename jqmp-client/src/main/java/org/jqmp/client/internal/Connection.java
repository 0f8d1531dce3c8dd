package org.jqmp.client.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jqmp.client.ClientLimits;
import org.jqmp.client.ClientListener;
import org.jqmp.client.Greeting;
import org.jqmp.client.QmpClientException;
import org.jqmp.client.QmpErrorReplyException;
import org.jqmp.client.QmpEvent;
import org.jqmp.client.QmpProtocolException;
import org.jqmp.client.QmpTransportException;
import org.jqmp.client.Transcript;
import org.jqmp.json.JsonDecoder;
import org.jqmp.json.JsonEncoder;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;

/**
 * One live connection: a reader thread that frames the server's output with jqmp-json's decoder and routes
 * each message - the greeting, replies by {@code id} (never by order; unknown ids dropped, qmp-spec
 * "Commands Responses"), events to the subscribers - and the writing side, one message at a time.
 * Replies complete their futures on the reader thread.
 */
public final class Connection {
    /** Writes from virtual threads are handed to platform threads when junixsocket is underneath. */
    private static final ExecutorService PLATFORM_WRITERS = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("jqmp-client-writer-", 0).factory());
    private static final byte[] SPACE = {' '};
    private static final FileDescriptor[] NO_FDS = {};

    /** What the connection tells its owner. */
    public interface Owner {
        void event(QmpEvent event);

        void closed(Connection connection, QmpTransportException cause);
    }

    private record Call(String command, CompletableFuture<JsonValue> future) {
    }

    private final Transport transport;
    private final ClientLimits limits;
    private final Transcript transcript;
    private final ClientListener listener;
    private final Owner owner;
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private final CompletableFuture<Greeting> greeting = new CompletableFuture<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final JsonDecoder decoder;
    private volatile QmpTransportException closedBy;
    private long bytesBeforeGreeting;

    public Connection(Transport transport, ClientLimits limits, Transcript transcript, ClientListener listener,
                      Owner owner) {
        this.transport = transport;
        this.limits = limits;
        this.transcript = transcript;
        this.listener = listener;
        this.owner = owner;
        this.decoder = new JsonDecoder(limits.json(), new JsonDecoder.Sink() {
            @Override
            public void value(JsonValue value) {
                received(value);
            }

            @Override
            public void error(String message) {
                fail(new QmpTransportException("server output from " + transport.describe()
                        + " is not valid JSON: " + message));
            }
        });
        Thread.ofPlatform().daemon().name("jqmp-client-reader").start(this::readLoop);
    }

    public CompletableFuture<Greeting> greeting() {
        return greeting;
    }

    public boolean isOpen() {
        return closedBy == null;
    }

    public String describe() {
        return transport.describe();
    }

    /** Sends one command with a fresh id; the future completes with its {@code return} value. */
    public CompletableFuture<JsonValue> send(String command, JsonObject arguments, boolean oob,
                                             FileDescriptor[] fds) {
        CompletableFuture<JsonValue> future = new CompletableFuture<>();
        QmpTransportException closed = closedBy;
        if (closed != null) {
            return CompletableFuture.failedFuture(closed);
        }
        if (calls.size() >= limits.maxCallsInFlight()) {
            return CompletableFuture.failedFuture(new QmpClientException("'" + command + "' not sent: "
                    + calls.size() + " calls in flight reach ClientLimits.maxCallsInFlight"));
        }
        String id = "jqmp#" + nextId.incrementAndGet();
        JsonObject.Builder message = JsonObject.builder().put(oob ? "exec-oob" : "execute", command);
        if (!arguments.members().isEmpty()) {
            message.put("arguments", arguments);
        }
        JsonObject request = message.put("id", id).build();
        calls.put(id, new Call(command, future));
        future.whenComplete((v, e) -> calls.remove(id)); // timeouts and cancellation forget the id
        if ((closed = closedBy) != null) { // closed while we registered: fail() may have missed this call
            future.completeExceptionally(closed);
            return future;
        }
        try {
            write(JsonEncoder.encode(request, false), fds);
        } catch (IOException e) {
            fail(new QmpTransportException("sending '" + command + "' to " + transport.describe()
                    + " failed (it may or may not have arrived): " + e.getMessage(), e));
        }
        return future;
    }

    /** qemu.qmp's way to pass fds: one space byte carrying them (whitespace to QEMU's lexer), before the command. */
    public void sendFds(FileDescriptor[] fds) {
        try {
            writeBytes(SPACE, fds);
        } catch (IOException e) {
            QmpTransportException failure = new QmpTransportException("passing file descriptors to "
                    + transport.describe() + " failed: " + e.getMessage(), e);
            fail(failure);
            throw failure;
        }
    }

    private void write(String message, FileDescriptor[] fds) throws IOException {
        if (transcript != null) {
            transcript.record(Transcript.Direction.SENT, message);
        }
        writeBytes(message.getBytes(StandardCharsets.UTF_8), fds);
    }

    private void writeBytes(byte[] bytes, FileDescriptor[] fds) throws IOException {
        if (!transport.canPassFds() && fds.length > 0) {
            throw new QmpClientException("file descriptors can only be passed over a Unix socket, not "
                    + transport.describe());
        }
        if (transport.needsPlatformThread() && Thread.currentThread().isVirtual()) {
            try {
                PLATFORM_WRITERS.submit(() -> {
                    writeLocked(bytes, fds);
                    return null;
                }).get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while writing", e);
            }
            return;
        }
        writeLocked(bytes, fds);
    }

    private void writeLocked(byte[] bytes, FileDescriptor[] fds) throws IOException {
        writeLock.lock();
        try {
            transport.write(bytes, fds == null ? NO_FDS : fds);
        } finally {
            writeLock.unlock();
        }
    }

    private void readLoop() {
        byte[] buffer = new byte[64 * 1024];
        try {
            int n;
            while (closedBy == null && (n = transport.read(buffer)) > 0) {
                if (!greeting.isDone() && (bytesBeforeGreeting += n) > limits.greetingBytes()) {
                    QmpProtocolException e = new QmpProtocolException("no QMP greeting from " + transport.describe()
                            + " within " + limits.greetingBytes() + " bytes (ClientLimits.greetingBytes)");
                    fail(new QmpTransportException(e.getMessage(), e));
                    return;
                }
                decoder.feed(buffer, 0, n);
            }
            fail(new QmpTransportException("the server closed the connection " + transport.describe()));
        } catch (IOException e) {
            fail(new QmpTransportException("connection " + transport.describe() + " lost: " + e.getMessage(), e));
        }
    }

    private void received(JsonValue value) {
        if (closedBy != null) {
            return;
        }
        if (transcript != null) {
            transcript.record(Transcript.Direction.RECEIVED, JsonEncoder.encode(value, false));
        }
        if (!(value instanceof JsonObject message)) {
            listener.serverError("not a JSON object: " + Messages.abbreviate(value));
            return;
        }
        if (!greeting.isDone()) {
            try {
                greeting.complete(Messages.greeting(message));
            } catch (QmpProtocolException e) {
                greeting.completeExceptionally(e);
                fail(new QmpTransportException(e.getMessage(), e));
            }
            return;
        }
        if (message.get("event") instanceof JsonString name) {
            owner.event(Messages.event(message, name.value()));
        } else if (message.has("return") || message.has("error")) {
            reply(message);
        } else {
            listener.serverError("neither reply nor event: " + Messages.abbreviate(message));
        }
    }

    private void reply(JsonObject message) {
        JsonValue id = message.get("id");
        Call call = id instanceof JsonString s ? calls.remove(s.value()) : null;
        if (call == null) {
            if (id == null && message.get("error") instanceof JsonObject error) {
                listener.serverError("error without id: " + Messages.abbreviate(error));
            } else {
                listener.unknownReply(message);
            }
            return;
        }
        if (message.has("return")) {
            call.future().complete(message.get("return"));
        } else if (message.get("error") instanceof JsonObject error && error.get("class") instanceof JsonString cls
                && error.get("desc") instanceof JsonString desc) {
            call.future().completeExceptionally(new QmpErrorReplyException(call.command(), cls.value(),
                    desc.value(), id));
        } else {
            call.future().completeExceptionally(new QmpProtocolException("malformed error reply to '"
                    + call.command() + "': " + Messages.abbreviate(message)));
        }
    }

    /** Closes the connection (once): every call in flight fails with {@code cause}. */
    public void fail(QmpTransportException cause) {
        synchronized (this) {
            if (closedBy != null) {
                return;
            }
            closedBy = cause;
        }
        transport.close();
        owner.closed(this, cause); // first: a caller who sees the failure also sees the disconnect reported
        greeting.completeExceptionally(cause);
        calls.values().forEach(call -> call.future().completeExceptionally(cause));
        calls.clear();
    }
}
