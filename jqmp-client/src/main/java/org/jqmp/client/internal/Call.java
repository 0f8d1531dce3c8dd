package org.jqmp.client.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jqmp.client.QmpTimeoutException;
import org.jqmp.json.JsonValue;

/**
 * One command sent and not yet answered. Its caller either waits on the socket itself ({@code ATTACHED}: a
 * blocking call that may read its own reply) or leaves the reading to others ({@code DETACHED}: an async
 * call, or a blocking caller who found another thread reading). The connection counts detached calls: while
 * there are any, someone must be reading.
 */
public final class Call {
    static final int ATTACHED = 0;
    static final int DETACHED = 1;
    static final int DONE = 2;

    private final String id;
    private final String command;
    private final CompletableFuture<JsonValue> future = new CompletableFuture<>();
    private final Duration timeout;
    private final long deadline;
    private final AtomicInteger state;

    Call(String id, String command, Duration timeout, boolean detached) {
        this.id = id;
        this.command = command;
        boolean timed = timeout != null && timeout.isPositive();
        this.timeout = timed ? timeout : null;
        // a timeout of centuries is no timeout; keeps nanoTime arithmetic clear of overflow
        this.deadline = timed && timeout.toSeconds() < 1L << 32 ? System.nanoTime() + timeout.toNanos() : 0;
        this.state = new AtomicInteger(detached ? DETACHED : ATTACHED);
    }

    String id() {
        return id;
    }

    public String command() {
        return command;
    }

    public CompletableFuture<JsonValue> future() {
        return future;
    }

    boolean timed() {
        return timeout != null && deadline != 0;
    }

    /** System.nanoTime() at which the call times out; only when {@link #timed()}. */
    long deadline() {
        return deadline;
    }

    /** Nanoseconds left before the deadline (Long.MAX_VALUE when untimed). */
    long nanosLeft(long now) {
        return timed() ? deadline - now : Long.MAX_VALUE;
    }

    boolean expired(long now) {
        return timed() && deadline - now <= 0;
    }

    void expire() {
        future.completeExceptionally(new QmpTimeoutException(command, timeout));
    }

    /** True if this call was attached and is now detached (the caller must count it). */
    boolean detach() {
        return state.compareAndSet(ATTACHED, DETACHED);
    }

    /** Marks the call finished; true if it was counted as detached. */
    boolean finish() {
        return state.getAndSet(DONE) == DETACHED;
    }
}
