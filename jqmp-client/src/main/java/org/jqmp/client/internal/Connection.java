package org.jqmp.client.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jqmp.client.ClientLimits;
import org.jqmp.client.ClientListener;
import org.jqmp.client.Greeting;
import org.jqmp.client.QmpClientException;
import org.jqmp.client.QmpErrorReplyException;
import org.jqmp.client.QmpEvent;
import org.jqmp.client.QmpProtocolException;
import org.jqmp.client.QmpTransportException;
import org.jqmp.client.Transcript;
import org.jqmp.json.ByteSink;
import org.jqmp.json.JsonDecoder;
import org.jqmp.json.JsonEncoder;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;

/**
 * One live connection. Whoever holds the read lock reads the socket and routes each message - the
 * greeting, replies by {@code id} (never by order; unknown ids dropped, qmp-spec "Commands Responses"),
 * events to the subscribers (leader/follower). A blocking caller who finds nobody reading takes the lock
 * and reads until its own reply is there, so a lone caller has no thread hand-off; replies for other calls
 * and events that arrive first are routed on its thread. A reader thread reads whenever async calls (or
 * callers who found the lock taken) wait, and, to deliver events, whenever no caller has been active for
 * {@link #LINGER_NANOS}. Replies complete their futures on whichever thread is reading.
 */
public final class Connection {
    /** Writes from virtual threads are handed to platform threads when junixsocket is underneath. */
    private static final ExecutorService PLATFORM_WRITERS = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("jqmp-client-writer-", 0).factory());
    private static final byte[] SPACE = {' '};
    private static final FileDescriptor[] NO_FDS = {};
    /** The longest one blocking read waits before its reader looks at deadlines and interrupts again. */
    private static final int READ_SLICE_MILLIS = 250;
    /**
     * A caller that just read its own reply usually sends again soon: for this long the reader thread stays
     * off the socket so that the next call finds it free. Events wait at most this long in the socket.
     */
    static final long LINGER_NANOS = 1_000_000;

    /** What the connection tells its owner. */
    public interface Owner {
        void event(QmpEvent event);

        void closed(Connection connection, QmpTransportException cause);
    }

    private final Transport transport;
    private final ClientLimits limits;
    private final Transcript transcript;
    private final ClientListener listener;
    private final Owner owner;
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicInteger detached = new AtomicInteger();
    private final CompletableFuture<Greeting> greeting = new CompletableFuture<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock readLock = new ReentrantLock();
    private final ByteSink out = new ByteSink(256); // guarded by writeLock
    private final byte[] in = new byte[64 * 1024]; // guarded by readLock
    private final JsonDecoder decoder; // guarded by readLock
    private final Thread reader;
    private final long lingerNanos;
    private volatile QmpTransportException closedBy;
    private volatile long lastCaller = System.nanoTime();
    private long bytesBeforeGreeting; // guarded by readLock

    public Connection(Transport transport, ClientLimits limits, Transcript transcript, ClientListener listener,
                      Owner owner) {
        this(transport, limits, transcript, listener, owner, LINGER_NANOS);
    }

    /** {@code lingerNanos}: how long after a caller the reader thread stays off an idle socket (tests: long). */
    Connection(Transport transport, ClientLimits limits, Transcript transcript, ClientListener listener, Owner owner,
               long lingerNanos) {
        this.lingerNanos = lingerNanos;
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
        Deadlines.watch(this);
        // platform: junixsocket's blocking reads must not pin a carrier (docs/decisions.md §3)
        this.reader = Thread.ofPlatform().daemon().name("jqmp-client-reader").start(this::readerLoop);
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

    // ---- sending

    /** Sends one command with a fresh id; the future completes with its {@code return} value. */
    public CompletableFuture<JsonValue> send(String command, JsonObject arguments, boolean oob, FileDescriptor[] fds,
                                             Duration timeout) {
        return start(command, arguments, oob, fds, timeout, true).future();
    }

    /**
     * Sends one command and waits until it is answered, failed or timed out (then see the call's future),
     * reading the socket on this thread when nobody else is.
     */
    public Call execute(String command, JsonObject arguments, boolean oob, FileDescriptor[] fds, Duration timeout)
            throws InterruptedException {
        if (readLock.isHeldByCurrentThread()) {
            // this thread is routing replies: waiting here for another reply would wait for itself
            throw new QmpClientException("'" + command + "' not sent: a blocking call from a callback that runs "
                    + "on the thread reading replies would wait for itself; use executeAsync there");
        }
        lastCaller = System.nanoTime();
        Call call = start(command, arguments, oob, fds, timeout, false);
        try {
            await(call);
        } catch (InterruptedException e) {
            call.future().cancel(false); // forgets the id; a late reply is dropped as unknown
            throw e;
        }
        return call;
    }

    private Call start(String command, JsonObject arguments, boolean oob, FileDescriptor[] fds, Duration timeout,
                       boolean detach) {
        Call call = new Call("jqmp#" + nextId.incrementAndGet(), command, timeout, detach);
        QmpTransportException closed = closedBy;
        if (closed != null) {
            call.future().completeExceptionally(closed);
            return call;
        }
        if (calls.size() >= limits.maxCallsInFlight()) {
            call.future().completeExceptionally(new QmpClientException("'" + command + "' not sent: "
                    + calls.size() + " calls in flight reach ClientLimits.maxCallsInFlight"));
            return call;
        }
        register(call, detach);
        if ((closed = closedBy) != null) { // closed while we registered: fail() may have missed this call
            call.future().completeExceptionally(closed);
            return call;
        }
        try {
            writeCommand(call, arguments, oob, fds);
        } catch (IOException e) {
            fail(new QmpTransportException("sending '" + command + "' to " + transport.describe()
                    + " failed (it may or may not have arrived): " + e.getMessage(), e));
        }
        return call;
    }

    private void register(Call call, boolean detach) {
        calls.put(call.id(), call);
        if (detach) {
            detached.incrementAndGet();
        }
        call.future().whenComplete((v, e) -> { // replies, timeouts and cancellation all forget the id
            calls.remove(call.id());
            if (call.finish()) {
                detached.decrementAndGet();
            }
        });
        if (call.timed()) {
            Deadlines.added(call.deadline());
        }
        if (detach) {
            LockSupport.unpark(reader);
        }
    }

    /** {@code {"execute": NAME, "arguments": {...}, "id": ID}}, members in the order QEMU's docs show them. */
    private void writeCommand(Call call, JsonObject arguments, boolean oob, FileDescriptor[] fds) throws IOException {
        if (transport.needsPlatformThread() && Thread.currentThread().isVirtual()) {
            byte[] bytes = encode(new ByteSink(128), call, arguments, oob).toByteArray();
            writeBytes(bytes, fds); // hands over to a platform thread
            return;
        }
        checkFds(fds);
        writeLock.lock();
        try {
            ByteSink sink = encode(out, call, arguments, oob);
            transport.write(sink.array(), sink.length(), fds);
        } finally {
            writeLock.unlock();
        }
    }

    private ByteSink encode(ByteSink sink, Call call, JsonObject arguments, boolean oob) {
        sink.clear();
        sink.writeAscii(oob ? "{\"exec-oob\": " : "{\"execute\": ");
        JsonEncoder.encode(new JsonString(call.command()), false, sink);
        if (!arguments.members().isEmpty()) {
            sink.writeAscii(", \"arguments\": ");
            JsonEncoder.encode(arguments, false, sink);
        }
        sink.writeAscii(", \"id\": \"");
        sink.writeAscii(call.id());
        sink.writeAscii("\"}");
        if (transcript != null) {
            transcript.record(Transcript.Direction.SENT, sink.toString());
        }
        return sink;
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

    private void checkFds(FileDescriptor[] fds) {
        if (!transport.canPassFds() && fds.length > 0) {
            throw new QmpClientException("file descriptors can only be passed over a Unix socket, not "
                    + transport.describe());
        }
    }

    private void writeBytes(byte[] bytes, FileDescriptor[] fds) throws IOException {
        checkFds(fds);
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
            transport.write(bytes, bytes.length, fds == null ? NO_FDS : fds);
        } finally {
            writeLock.unlock();
        }
    }

    // ---- reading: leader/follower

    /** Returns when the call's future is done; reads the socket itself whenever nobody else does. */
    private void await(Call call) throws InterruptedException {
        boolean mayRead = !(transport.needsPlatformThread() && Thread.currentThread().isVirtual());
        while (!call.future().isDone()) {
            if (mayRead && readLock.tryLock()) {
                try {
                    readUntilDone(call);
                } finally {
                    readLock.unlock();
                    lastCaller = System.nanoTime();
                    if (detached.get() > 0) {
                        LockSupport.unpark(reader); // calls of others still wait: the reader takes over
                    }
                }
            } else {
                if (call.detach()) {
                    detached.incrementAndGet();
                    LockSupport.unpark(reader);
                }
                try {
                    call.future().get();
                } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                    return; // the caller reads the outcome from the future
                }
            }
        }
    }

    /** The caller as reader: its own deadline bounds each read, so a stalled server cannot hold it. */
    private void readUntilDone(Call call) throws InterruptedException {
        while (!call.future().isDone() && closedBy == null) {
            long left = call.nanosLeft(System.nanoTime());
            if (left <= 0) {
                call.expire();
                return;
            }
            readOnce((int) Math.min(READ_SLICE_MILLIS, Math.max(1, (left + 999_999) / 1_000_000)));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /**
     * The reader thread reads while the greeting or detached calls wait, and, for events, whenever no caller
     * has been active for the linger time; otherwise it parks (unparked when a call detaches).
     */
    private void readerLoop() {
        while (closedBy == null) {
            long idle = System.nanoTime() - lastCaller;
            boolean duty = !greeting.isDone() || detached.get() > 0 || idle >= lingerNanos;
            if (duty && readLock.tryLock()) {
                try {
                    readOnce(READ_SLICE_MILLIS);
                } finally {
                    readLock.unlock();
                }
            } else {
                LockSupport.parkNanos(this, Math.min(Math.max(lingerNanos - idle, LINGER_NANOS / 4),
                        READ_SLICE_MILLIS * 1_000_000L));
            }
        }
    }

    /** True while some thread (the reader or a caller) holds the socket's read side; for tests. */
    boolean isBeingRead() {
        return readLock.isLocked();
    }

    /** One read (at most {@code timeoutMillis}) and the messages it completes; under the read lock. */
    private void readOnce(int timeoutMillis) {
        try {
            int n = transport.read(in, timeoutMillis);
            if (n < 0) {
                fail(new QmpTransportException("the server closed the connection " + transport.describe()));
                return;
            }
            if (n > 0 && !greeting.isDone() && (bytesBeforeGreeting += n) > limits.greetingBytes()) {
                QmpProtocolException e = new QmpProtocolException("no QMP greeting from " + transport.describe()
                        + " within " + limits.greetingBytes() + " bytes (ClientLimits.greetingBytes)");
                fail(new QmpTransportException(e.getMessage(), e));
                return;
            }
            decoder.feed(in, 0, n);
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

    // ---- deadlines and failure

    /** Fails the calls past their deadline; returns the earliest deadline still pending (or far away). */
    long expireCalls(long now) {
        long earliest = now + Long.MAX_VALUE / 2;
        for (Call call : calls.values()) {
            if (call.expired(now)) {
                call.expire();
            } else if (call.timed() && call.deadline() - earliest < 0) {
                earliest = call.deadline();
            }
        }
        return earliest;
    }

    /** Closes the connection (once): every call in flight fails with {@code cause}. */
    public void fail(QmpTransportException cause) {
        synchronized (this) {
            if (closedBy != null) {
                return;
            }
            closedBy = cause;
        }
        Deadlines.forget(this);
        transport.close();
        LockSupport.unpark(reader);
        owner.closed(this, cause); // first: a caller who sees the failure also sees the disconnect reported
        greeting.completeExceptionally(cause);
        calls.values().forEach(call -> call.future().completeExceptionally(cause));
        calls.clear();
    }
}
