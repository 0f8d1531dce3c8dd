package org.jqmp.client.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Per-call timeouts for every connection in the process, checked by one sweeping thread. A call only
 * records its deadline; the sweeper is woken only when a call's deadline comes before its next planned
 * sweep, so the common case (replies well within their timeouts) costs no timer task, no wake-up and no
 * cancellation per call. Without calls due, it sweeps once per {@link #IDLE_SWEEP_NANOS}.
 */
final class Deadlines {
    private static final long IDLE_SWEEP_NANOS = 1_000_000_000L;
    /** While sweeping: any new deadline wakes the sweeper again, as the sweep may have missed it. */
    private static final long SWEEPING = Long.MAX_VALUE;
    private static final Set<Connection> CONNECTIONS = ConcurrentHashMap.newKeySet();
    private static volatile long nextSweep = SWEEPING;
    private static final Thread SWEEPER = Thread.ofPlatform().daemon().name("jqmp-client-deadlines")
            .start(Deadlines::sweepForever);

    private Deadlines() {
    }

    static void watch(Connection connection) {
        CONNECTIONS.add(connection);
    }

    static void forget(Connection connection) {
        CONNECTIONS.remove(connection);
    }

    /** A call with this deadline was registered. */
    static void added(long deadline) {
        long planned = nextSweep;
        if (planned == SWEEPING || deadline - planned < 0) {
            LockSupport.unpark(SWEEPER);
        }
    }

    private static void sweepForever() {
        while (true) {
            nextSweep = SWEEPING;
            long now = System.nanoTime();
            long next = now + IDLE_SWEEP_NANOS;
            for (Connection c : CONNECTIONS) {
                long due = c.expireCalls(now);
                if (due - next < 0) {
                    next = due;
                }
            }
            nextSweep = next;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(Deadlines.class, wait);
            }
        }
    }
}
