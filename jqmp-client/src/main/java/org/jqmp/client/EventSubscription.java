package org.jqmp.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The events that match a filter, in arrival order, in a bounded buffer. The client's reader only ever
 * offers to it and never waits: when the buffer is full the event is dropped and the gap is remembered,
 * so a slow subscriber loses events but never stalls replies or other subscribers. The gap is reported
 * where it happened - {@link #poll} throws {@link QmpEventsLostException} once at that point - and to the
 * {@link ClientListener}. Subscriptions outlive reconnects; close one when done.
 */
public final class EventSubscription implements AutoCloseable {
    /** A run of dropped events, kept in the buffer where they would have been. */
    private record Gap(long count) {
    }

    private final Predicate<QmpEvent> filter;
    private final int capacity;
    private final ClientListener listener;
    private final Runnable unregister;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Object> buffer = new ArrayDeque<>();
    private int events;
    private long lost;
    private boolean closed;

    EventSubscription(Predicate<QmpEvent> filter, int capacity, ClientListener listener, Runnable unregister) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("event buffer capacity must be positive, not " + capacity);
        }
        this.filter = filter;
        this.capacity = capacity;
        this.listener = listener;
        this.unregister = unregister;
    }

    /** Called by the reader: never blocks beyond the buffer's lock. */
    void offer(QmpEvent event) {
        if (!matches(event)) {
            return;
        }
        long lostNow;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (events < capacity) {
                buffer.addLast(event);
                events++;
                changed.signalAll();
                return;
            }
            long run = buffer.peekLast() instanceof Gap(long count) ? count : 0;
            if (run > 0) {
                buffer.removeLast();
            }
            buffer.addLast(new Gap(run + 1));
            lostNow = ++lost;
        } finally {
            lock.unlock();
        }
        listener.eventsLost(this, lostNow);
    }

    private boolean matches(QmpEvent event) {
        try {
            return filter.test(event);
        } catch (RuntimeException e) {
            return false; // a failing filter is the subscriber's bug; it must not reach the reader
        }
    }

    /**
     * The next event, waiting up to {@code timeout}; null if none came (or the subscription is closed and
     * empty). Throws {@link QmpEventsLostException} once where events were dropped.
     */
    public QmpEvent poll(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (buffer.isEmpty()) {
                if (closed || nanos <= 0) {
                    return null;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return next();
        } finally {
            lock.unlock();
        }
    }

    /** The next event without waiting, or null. */
    public QmpEvent poll() {
        lock.lock();
        try {
            return buffer.isEmpty() ? null : next();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the next event; fails if the subscription closes first. */
    public QmpEvent take() throws InterruptedException {
        QmpEvent event = poll(Duration.ofNanos(Long.MAX_VALUE));
        if (event == null) {
            throw new QmpClientException("event subscription closed");
        }
        return event;
    }

    private QmpEvent next() {
        Object head = buffer.removeFirst();
        if (head instanceof Gap gap) {
            throw new QmpEventsLostException(gap.count(), capacity);
        }
        events--;
        return (QmpEvent) head;
    }

    /** Events dropped so far because the buffer was full. */
    public long lost() {
        lock.lock();
        try {
            return lost;
        } finally {
            lock.unlock();
        }
    }

    public int capacity() {
        return capacity;
    }

    /** Events buffered now. */
    public int size() {
        lock.lock();
        try {
            return events;
        } finally {
            lock.unlock();
        }
    }

    /** Stops delivery; events already buffered can still be polled. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        unregister.run();
    }

    /** Waits {@code timeout} at most, in the given unit; for callers that use TimeUnit. */
    public QmpEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
        return poll(Duration.ofNanos(unit.toNanos(timeout)));
    }
}
