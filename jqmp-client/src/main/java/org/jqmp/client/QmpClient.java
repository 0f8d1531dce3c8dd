package org.jqmp.client;

import java.io.FileDescriptor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jqmp.api.runtime.CommandCaller;
import org.jqmp.api.runtime.QObjectInput;
import org.jqmp.client.internal.Connection;
import org.jqmp.client.internal.Connector;
import org.jqmp.client.internal.Dialer;
import org.jqmp.client.internal.Timeouts;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;

/**
 * A QMP client. It connects (or accepts), reads the greeting, negotiates ({@code oob} when offered), then
 * sends commands with ids - any number in flight, replies matched by id - and hands events to
 * subscriptions without ever waiting for them.
 *
 * <pre>{@code
 * try (QmpClient qmp = QmpClient.connect(QmpAddress.parse("/run/vm/qmp.sock"))) {
 *     JsonValue version = qmp.execute("query-version");
 *     StatusInfo status = new RunStateClient(qmp).queryStatus();          // generated, typed
 *     ReplyAndEvent stopped = qmp.executeAndWait(Request.of("stop"), e -> e.name().equals("STOP"),
 *             Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * Errors: {@link QmpErrorReplyException} when the server refused a command; {@link QmpTransportException}
 * or {@link QmpTimeoutException} when it is unknown whether it ran. Futures complete on whichever thread is
 * reading the connection (the client's reader, or a blocking caller reading its own reply): do slow work in
 * the {@code *Async} stages, and make no blocking call from a callback on a future.
 */
public final class QmpClient implements CommandCaller, AutoCloseable {
    private static final FileDescriptor[] NO_FDS = {};

    private final Connector connector;
    private final QmpClientOptions options;
    private final List<EventSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicLong disconnects = new AtomicLong();
    private final Object state = new Object();
    private volatile Connection connection;
    private volatile Greeting greeting;
    private volatile boolean oobEnabled;
    private volatile boolean closed;
    private volatile String notConnectedReason;
    private Thread reconnector;

    private QmpClient(Connector connector, QmpClientOptions options) {
        this.connector = connector;
        this.options = options;
    }

    /** Connects to a listening monitor with default options. */
    public static QmpClient connect(QmpAddress address) {
        return connect(address, QmpClientOptions.DEFAULT);
    }

    public static QmpClient connect(QmpAddress address, QmpClientOptions options) {
        return start(new Dialer(address), options);
    }

    /** Waits (up to the connect timeout) for a QEMU to connect to {@code listener}, then negotiates. */
    public static QmpClient accept(QmpListener listener, QmpClientOptions options) {
        return start(listener.acceptor(), options);
    }

    private static QmpClient start(Connector connector, QmpClientOptions options) {
        QmpClient client = new QmpClient(connector, options);
        try {
            client.open();
        } catch (IOException e) {
            throw new QmpTransportException(e.getMessage(), e);
        }
        return client;
    }

    /** Opens a connection, reads the greeting, negotiates; on success it becomes the current one. */
    private void open() throws IOException {
        Connection c = new Connection(connector.open(options.connectTimeout()), options.limits(),
                options.transcript(), options.listener(), new Owner());
        try {
            Greeting g = awaitWithin(c.greeting(), options.connectTimeout(), "QMP greeting");
            boolean oob = options.negotiate() && options.oob() && g.offers("oob");
            if (options.negotiate()) {
                JsonObject args = oob ? JsonObject.builder().put("enable", JsonArray.of(new JsonString("oob")))
                        .build() : JsonObject.EMPTY;
                try {
                    awaitWithin(c.send("qmp_capabilities", args, false, NO_FDS, null), options.connectTimeout(),
                            "reply to qmp_capabilities");
                } catch (QmpErrorReplyException e) {
                    throw new QmpProtocolException("negotiation refused by " + c.describe() + ": " + e.getMessage());
                }
            }
            synchronized (state) {
                greeting = g;
                oobEnabled = oob;
                connection = c;
                notConnectedReason = null;
                state.notifyAll();
            }
        } catch (RuntimeException e) {
            c.fail(new QmpTransportException("connection set-up failed: " + e.getMessage(), e));
            throw e;
        }
    }

    private static <T> T awaitWithin(CompletableFuture<T> future, Duration timeout, String what) {
        Timeouts.failAfter(future, timeout, () -> new QmpTimeoutException("no " + what + " within "
                + timeout.toMillis() + " ms", what, timeout));
        return await(future);
    }

    // ---- commands

    /** Sends a command; the future completes with its {@code return} value. */
    public CompletableFuture<JsonValue> executeAsync(Request request) {
        Connection c = connection;
        QmpClientException refused = refusal(c, request);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        return c.send(request.command(), request.arguments(), request.oob(), request.fds().toArray(NO_FDS),
                timeout(request));
    }

    public CompletableFuture<JsonValue> executeAsync(String command, JsonObject arguments) {
        return executeAsync(Request.of(command, arguments));
    }

    /**
     * Sends a command and waits for its {@code return} value. When no other thread is reading the
     * connection, the calling thread reads its own reply (no hand-off between threads).
     */
    public JsonValue execute(Request request) {
        Connection c = connection;
        QmpClientException refused = refusal(c, request);
        if (refused != null) {
            throw refused;
        }
        try {
            return await(c.execute(request.command(), request.arguments(), request.oob(),
                    request.fds().toArray(NO_FDS), timeout(request)).future());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpClientException("interrupted while waiting for the reply to '" + request.command() + "'", e);
        }
    }

    /** Why a request cannot be sent now, or null. */
    private QmpClientException refusal(Connection c, Request request) {
        if (closed || c == null || !c.isOpen()) {
            return new QmpTransportException("'" + request.command() + "' not sent: " + (closed
                    ? "the client is closed" : "not connected (" + notConnectedReason + ")"));
        }
        if (request.oob() && !oobEnabled) {
            return new QmpClientException("'" + request.command()
                    + "' not sent: exec-oob needs the oob capability, which was not negotiated");
        }
        return null;
    }

    private Duration timeout(Request request) {
        return request.timeout() != null ? request.timeout() : options.callTimeout();
    }

    public JsonValue execute(String command, JsonObject arguments) {
        return execute(Request.of(command, arguments));
    }

    public JsonValue execute(String command) {
        return execute(Request.of(command));
    }

    /** A command whose result {@code reader} makes typed, e.g. {@code in -> StatusInfo.read(in, null)}. */
    public <T> CompletableFuture<T> callAsync(Request request, Function<QObjectInput, T> reader) {
        CompletableFuture<JsonValue> raw = executeAsync(request);
        CompletableFuture<T> typed = raw.thenApply(json -> decode(request.command(), json, reader));
        typed.whenComplete((v, e) -> {
            if (typed.isCancelled()) {
                raw.cancel(false);
            }
        });
        return typed;
    }

    @Override
    public <T> CompletableFuture<T> callAsync(String command, JsonObject arguments, Function<QObjectInput, T> reader) {
        return callAsync(Request.of(command, arguments), reader);
    }

    @Override
    public <T> T call(String command, JsonObject arguments, Function<QObjectInput, T> reader) {
        return call(Request.of(command, arguments), reader);
    }

    public <T> T call(Request request, Function<QObjectInput, T> reader) {
        return decode(request.command(), execute(request), reader);
    }

    /** Tolerant decoding: unknown members and enum values are reported as drift, never fail the reply. */
    private <T> T decode(String command, JsonValue json, Function<QObjectInput, T> reader) {
        if (reader == null) {
            return null;
        }
        QObjectInput in = QObjectInput.lenient(json);
        try {
            T value = reader.apply(in);
            if (!in.drift().isEmpty()) {
                options.listener().drift(command, in.drift());
            }
            return value;
        } catch (RuntimeException e) {
            throw new QmpDecodeException(command, json, in.drift(), e);
        }
    }

    /**
     * Passes file descriptors the way qemu.qmp does: a single space byte carrying them (SCM_RIGHTS), which
     * QEMU's parser skips as whitespace; the next {@code getfd}/{@code add-fd} claims them. Unix sockets only.
     */
    public void sendFds(FileDescriptor... fds) {
        Connection c = connection;
        if (c == null || !c.isOpen()) {
            throw new QmpTransportException("file descriptors not sent: not connected");
        }
        c.sendFds(fds);
    }

    // ---- events

    /** Events with one of these names (none: every event), buffered up to the default capacity. */
    public EventSubscription subscribe(String... names) {
        Set<String> wanted = Set.of(names);
        return subscribe(e -> wanted.isEmpty() || wanted.contains(e.name()), options.eventBuffer());
    }

    public EventSubscription subscribe(Predicate<QmpEvent> filter) {
        return subscribe(filter, options.eventBuffer());
    }

    public EventSubscription subscribe(Predicate<QmpEvent> filter, int capacity) {
        EventSubscription[] self = new EventSubscription[1];
        self[0] = new EventSubscription(filter, capacity, options.listener(), () -> subscriptions.remove(self[0]));
        subscriptions.add(self[0]);
        return self[0];
    }

    /**
     * Calls {@code handler} for each matching event on a virtual thread of its own, so a slow handler only
     * fills its own buffer; lost events are reported to the {@link ClientListener}.
     */
    public EventSubscription onEvent(Predicate<QmpEvent> filter, Consumer<QmpEvent> handler) {
        EventSubscription subscription = subscribe(filter);
        Thread.ofVirtual().name("jqmp-client-events").start(() -> {
            try {
                while (true) {
                    try {
                        handler.accept(subscription.take());
                    } catch (QmpEventsLostException e) {
                        // already told to the listener; go on with the events after the gap
                    }
                }
            } catch (InterruptedException | QmpClientException e) {
                // closed
            }
        });
        return subscription;
    }

    /**
     * Runs a command and waits for an event it causes, without a race: the subscription exists before the
     * command is sent, so an event that overtakes the reply is not missed. {@code timeout} bounds the wait
     * for the event after the reply.
     */
    public ReplyAndEvent executeAndWait(Request request, Predicate<QmpEvent> event, Duration timeout) {
        try (EventSubscription subscription = subscribe(event)) {
            JsonValue reply = execute(request);
            QmpEvent seen = subscription.poll(timeout);
            if (seen == null) {
                throw new QmpTimeoutException("'" + request.command() + "' succeeded but the awaited event did not "
                        + "come within " + timeout.toMillis() + " ms", request.command(), timeout);
            }
            return new ReplyAndEvent(reply, seen);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpClientException("interrupted while waiting for an event after '" + request.command() + "'",
                    e);
        }
    }

    // ---- state

    /** The greeting of the current (or last) connection. */
    public Greeting greeting() {
        return greeting;
    }

    public boolean oobEnabled() {
        return oobEnabled;
    }

    public boolean isConnected() {
        Connection c = connection;
        return !closed && c != null && c.isOpen();
    }

    /** Connections lost so far (each one also told to the {@link ClientListener}). */
    public long disconnects() {
        return disconnects.get();
    }

    /** Waits until connected (after a reconnect); false on timeout or if the client gave up or closed. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (state) {
            while (!isConnected()) {
                long left = deadline - System.nanoTime();
                if (closed || left <= 0 || (reconnector == null && disconnects.get() > 0 && !isConnected())) {
                    return false;
                }
                state.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    @Override
    public void close() {
        Thread r;
        synchronized (state) {
            closed = true;
            r = reconnector;
            state.notifyAll();
        }
        if (r != null) {
            r.interrupt();
        }
        Connection c = connection;
        if (c != null) {
            c.fail(new QmpTransportException("the client was closed"));
        }
        subscriptions.forEach(EventSubscription::close);
    }

    // ---- connection events and reconnect

    private final class Owner implements Connection.Owner {
        @Override
        public void event(QmpEvent event) {
            for (EventSubscription s : subscriptions) {
                s.offer(event);
            }
        }

        @Override
        public void closed(Connection lost, QmpTransportException cause) {
            synchronized (state) {
                if (lost != connection || closed) {
                    return; // a set-up attempt that failed, or our own close
                }
                disconnects.incrementAndGet();
                notConnectedReason = cause.getMessage();
                if (options.reconnect().enabled()) {
                    reconnector = Thread.ofPlatform().daemon().name("jqmp-client-reconnect")
                            .start(QmpClient.this::reconnect);
                }
                state.notifyAll();
            }
            options.listener().disconnected(cause);
        }
    }

    private void reconnect() {
        ReconnectPolicy policy = options.reconnect();
        for (int attempt = 1; attempt <= policy.maxAttempts() && !closed; attempt++) {
            try {
                Thread.sleep(policy.delay(attempt));
                open();
                synchronized (state) {
                    reconnector = null;
                }
                options.listener().reconnected(greeting, attempt);
                return;
            } catch (InterruptedException e) {
                break;
            } catch (IOException | QmpClientException e) {
                notConnectedReason = "reconnect attempt " + attempt + " failed: " + e.getMessage();
            }
        }
        synchronized (state) {
            reconnector = null;
            notConnectedReason = "gave up reconnecting: " + notConnectedReason;
            state.notifyAll();
        }
    }

    // ---- waiting

    /** Waits for a future; the exception of a failed call is thrown as it is (all are unchecked). */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (CancellationException e) {
            throw new QmpClientException("the call was cancelled", e);
        } catch (InterruptedException e) {
            future.cancel(false);
            Thread.currentThread().interrupt();
            throw new QmpClientException("interrupted while waiting for a reply", e);
        }
    }

    private static RuntimeException unwrap(Throwable cause) {
        if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof RuntimeException r ? r : new QmpClientException(cause.getMessage(), cause);
    }
}
