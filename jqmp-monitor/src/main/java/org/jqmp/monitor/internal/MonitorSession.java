package org.jqmp.monitor.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Lock;
import org.jqmp.api.runtime.CommandContext;
import org.jqmp.api.runtime.CommandDefinition;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.QmpError;
import org.jqmp.json.ByteSink;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonDecoder;
import org.jqmp.json.JsonEncoder;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;

/**
 * One client on one monitor: greeting, negotiation, the request path and the reply path.
 *
 * <p>Threading (see docs/decisions.md): the session's reader thread decodes input and runs each request.
 * Without OOB it runs in-band commands itself, which is QEMU's "one in-band command at a time" (QEMU stops
 * reading while one runs). Once OOB is enabled, in-band requests (and JSON errors, which are in-band too) go to
 * a queue of at most {@value #QUEUE_LIMIT} served in order by the session's own in-band thread; the reader stops
 * reading while the queue is full, and runs {@code exec-oob} requests at once, so they may overtake.
 * In-band commands of all sessions take the machine lock, QEMU's BQL; OOB commands do not.
 */
public final class MonitorSession implements CommandContext, Runnable {
    /** QMP_REQ_QUEUE_LEN_MAX. */
    static final int QUEUE_LIMIT = 8;
    /** Per read; the largest part of an idle session's memory, so modest (bench/idle-sessions.sh). */
    private static final int READ_BUFFER = 8 * 1024;

    private final Connection connection;
    private final MonitorContext monitor;
    private final boolean pretty;
    private final FdStore fds = new FdStore();
    private final JsonDecoder decoder;
    private final ByteSink out = new ByteSink(1024);
    /** Actions to run after the reply of the command now running on each thread (reader or in-band). */
    private final ThreadLocal<List<Runnable>> afterReply = ThreadLocal.withInitial(ArrayList::new);
    private final Runnable onEnd;

    private volatile boolean negotiating = true;
    private volatile boolean oobEnabled;
    private volatile boolean outOfBandNow;
    private BlockingQueue<InBand> inBandQueue;
    /** Free places in the in-band queue; the reader waits for one before it reads on. */
    private final Semaphore queueSlots = new Semaphore(QUEUE_LIMIT);
    private Future<?> inBandTask;
    private volatile boolean closed;

    MonitorSession(Connection connection, MonitorContext monitor, boolean pretty, Runnable onEnd) {
        this.connection = connection;
        this.onEnd = onEnd;
        this.monitor = monitor;
        this.pretty = pretty;
        this.decoder = new JsonDecoder(monitor.jsonLimits(), new JsonDecoder.Sink() {
            @Override
            public void value(JsonValue value) {
                onRequest(value);
            }

            @Override
            public void error(String message) {
                onParseError(message);
            }
        });
    }

    @Override
    public void run() {
        monitor.events().register(this);
        try {
            send(greeting());
            byte[] buffer = new byte[READ_BUFFER];
            int n;
            while (!closed && (n = connection.read(buffer)) >= 0) {
                fds.received(connection.takeReceivedFds());
                decoder.feed(buffer, 0, n);
            }
            decoder.end();
        } catch (IOException | InterruptedRuntimeException e) {
            // the client went away, or the session was closed under us: either way, clean up below
        } finally {
            close();
        }
    }

    private JsonObject greeting() {
        JsonObject qmp = JsonObject.builder()
                .put("version", monitor.version().toJson())
                .put("capabilities", JsonArray.of(new JsonString("oob")))
                .build();
        return JsonObject.builder().put("QMP", qmp).build();
    }

    /** What waits in the in-band queue: a request, or the error for a message that did not parse. */
    private sealed interface InBand {
    }

    private record Request(JsonValue request) implements InBand {
    }

    private record ParseError(JsonObject reply) implements InBand {
    }

    private void onRequest(JsonValue request) {
        if (Dispatcher.isOutOfBand(request)) {
            reply(monitor.dispatcher().dispatch(request, this));
        } else if (oobEnabled) {
            enqueue(new Request(request));
        } else {
            reply(monitor.dispatcher().dispatch(request, this));
        }
    }

    private void onParseError(String message) {
        JsonObject reply = Dispatcher.errorReply(QmpError.generic(message), null);
        if (oobEnabled) {
            enqueue(new ParseError(reply));
        } else {
            reply(reply);
        }
    }

    /**
     * Queues an in-band item. Like QEMU (handle_qmp_command), the reader suspends once the queue is full,
     * before it reads anything more, and resumes when the in-band thread takes an item.
     */
    private void enqueue(InBand item) {
        try {
            queueSlots.acquire();
            inBandQueue.add(item);
            if (queueSlots.availablePermits() == 0) {
                queueSlots.acquire();
                queueSlots.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedRuntimeException();
        }
    }

    /** The in-band thread: one request at a time, in arrival order. */
    private void serveInBand() {
        try {
            while (!closed) {
                InBand item = inBandQueue.take();
                queueSlots.release();
                switch (item) {
                    case Request(JsonValue request) -> reply(monitor.dispatcher().dispatch(request, this));
                    case ParseError(JsonObject reply) -> reply(reply);
                }
            }
        } catch (InterruptedException e) {
            // the session is closing; queued requests get no reply, as in QEMU
        }
    }

    /** Runs a command's handler: in-band ones under the machine lock, OOB ones without it. */
    JsonValue run(CommandDefinition command, JsonObject arguments, boolean oob) {
        if (oob) {
            outOfBandNow = true;
            try {
                return call(command, arguments);
            } finally {
                outOfBandNow = false;
            }
        }
        Lock lock = monitor.machineLock();
        lock.lock();
        try {
            return call(command, arguments);
        } finally {
            lock.unlock();
        }
    }

    private JsonValue call(CommandDefinition command, JsonObject arguments) {
        return ScopedValue.where(CommandContext.CURRENT, this).call(() -> command.handler().execute(arguments, this));
    }

    private void reply(JsonObject reply) {
        if (reply != null) {
            send(reply);
        }
        List<Runnable> pending = afterReply.get();
        if (pending.isEmpty()) {
            return;
        }
        List<Runnable> actions = List.copyOf(pending);
        pending.clear();
        actions.forEach(Runnable::run);
    }

    void deliverEvent(JsonObject event) {
        if (!negotiating) {
            send(event);
        }
    }

    /** Writes one message and its CRLF; a client that has gone away closes the session. */
    void send(JsonObject message) {
        synchronized (out) {
            if (closed) {
                return;
            }
            out.clear();
            JsonEncoder.encode(message, pretty, out);
            terminate(out);
            try {
                connection.write(out.array(), 0, out.length());
            } catch (IOException e) {
                closeConnection();
            }
        }
    }

    /** monitor_puts: every newline goes out as CRLF (pretty output has several). */
    private void terminate(ByteSink sink) {
        if (pretty) {
            byte[] bytes = sink.toByteArray();
            sink.clear();
            for (byte b : bytes) {
                if (b == '\n') {
                    sink.write('\r');
                }
                sink.write(b);
            }
        }
        sink.write('\r');
        sink.write('\n');
    }

    // --- state the control commands change ---

    boolean negotiating() {
        return negotiating;
    }

    boolean oobEnabled() {
        return oobEnabled;
    }

    /** qmp_capabilities succeeded: command mode, with the accepted capabilities. */
    void negotiated(boolean enableOob) {
        if (enableOob) {
            inBandQueue = new LinkedBlockingQueue<>();
            inBandTask = monitor.submit(connection, this::serveInBand);
            oobEnabled = true;
        }
        negotiating = false;
    }

    FdStore fds() {
        return fds;
    }

    MonitorContext monitor() {
        return monitor;
    }

    /** Runs the action once the reply to the current command has been written. */
    @Override
    public void afterReply(Runnable action) {
        afterReply.get().add(action);
    }

    /** A named fd as its native number, for the machine (add_client); junixsocket knows the number. */
    @Override
    public java.util.OptionalInt takeFd(String name) {
        java.io.FileDescriptor fd = fds.take(name);
        if (fd == null) {
            return java.util.OptionalInt.empty();
        }
        try {
            return java.util.OptionalInt.of(org.newsclub.net.unix.FileDescriptorCast.using(fd).as(Integer.class));
        } catch (IOException e) {
            FdStore.close(fd);
            return java.util.OptionalInt.empty();
        }
    }

    @Override
    public CompatPolicy compatPolicy() {
        return monitor.compatPolicy();
    }

    @Override
    public boolean outOfBand() {
        return outOfBandNow;
    }

    /** Shuts the connection down; the reader then ends the session. */
    void closeConnection() {
        queueSlots.release(QUEUE_LIMIT); // a reader waiting for queue space must see the end too
        try {
            connection.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private void close() {
        synchronized (out) {
            if (closed) {
                return;
            }
            closed = true;
        }
        monitor.events().unregister(this);
        if (inBandTask != null) {
            inBandTask.cancel(true);
        }
        decoder.reset();
        fds.closeAll();
        closeConnection();
        monitor.sessionEnded(this);
        if (onEnd != null) {
            onEnd.run();
        }
    }

    /** Unwinds the reader when the session is closed while it waits for queue space. */
    private static final class InterruptedRuntimeException extends RuntimeException {
        InterruptedRuntimeException() {
            super(null, null, false, false);
        }
    }
}
