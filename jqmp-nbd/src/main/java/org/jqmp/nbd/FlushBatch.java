package org.jqmp.nbd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jqmp.block.BlockNode;

/**
 * Flushes of one export, shared by its clients: one flush of the node covers every write that had completed
 * when it started, so concurrent FUA writes and FLUSH requests wait for one flush instead of each making its own
 * (QEMU does the same with its flush generations). A client writing with FUA from 16 requests in flight would
 * otherwise pay 16 fdatasync calls where one does.
 */
final class FlushBatch {
    private final BlockNode node;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    /** Writes completed on the node through this export, in completion order. */
    private long completed;
    /** Every write numbered up to this is on stable storage. */
    private long flushed;
    private boolean flushing;
    /** Replies waiting for a flush ({@link #whenFlushed}), answered by one flusher thread at a time. */
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private boolean flusherRunning;

    /** Something to do once every write up to {@code generation} is stable (null) or the flush failed. */
    private record Waiter(long generation, java.util.function.Consumer<RuntimeException> then) {
    }

    FlushBatch(BlockNode node) {
        this.node = node;
    }

    /** Records a completed write (or trim, or zeroing); returns its number for {@link #flushThrough}. */
    long written() {
        lock.lock();
        try {
            return ++completed;
        } finally {
            lock.unlock();
        }
    }

    /** The number of the last completed write: what a FLUSH request must cover. */
    long lastWritten() {
        lock.lock();
        try {
            return completed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Group commit: {@code then} runs once every write up to {@code generation} is stable, with null, or with the
     * flush's exception. The caller does not wait: a flusher thread (started when needed, one per export at a
     * time) flushes once for everything queued meanwhile and runs every {@code then} it covered. This is how FUA
     * writes and FLUSH requests are answered without a thread each.
     */
    void whenFlushed(long generation, java.util.function.Consumer<RuntimeException> then) {
        lock.lock();
        try {
            if (flushed < generation) {
                waiting.add(new Waiter(generation, then));
                if (!flusherRunning) {
                    flusherRunning = true;
                    Thread.ofVirtual().name("nbd-flush").start(this::flushWaiting);
                }
                return;
            }
        } finally {
            lock.unlock();
        }
        then.accept(null);
    }

    private void flushWaiting() {
        while (true) {
            List<Waiter> batch;
            lock.lock();
            try {
                if (waiting.isEmpty()) {
                    flusherRunning = false;
                    return;
                }
                batch = new ArrayList<>(waiting);
                waiting.clear();
            } finally {
                lock.unlock();
            }
            RuntimeException failure = null;
            try {
                flushThrough(batch.stream().mapToLong(Waiter::generation).max().orElse(0));
            } catch (RuntimeException e) {
                failure = e;
            }
            for (Waiter w : batch) {
                w.then().accept(failure);
            }
        }
    }

    /**
     * Returns once every write numbered up to {@code generation} is on stable storage; at once when it already
     * is (like QEMU, no flush when nothing was written since the last one).
     */
    void flushThrough(long generation) {
        lock.lock();
        try {
            while (flushed < generation) {
                if (flushing) {
                    done.awaitUninterruptibly();
                    continue;
                }
                flushing = true;
                long target = completed;
                lock.unlock();
                boolean ok = false;
                try {
                    node.flush();
                    ok = true;
                } finally {
                    lock.lock();
                    flushing = false;
                    if (ok) {
                        flushed = Math.max(flushed, target);
                    }
                    done.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
