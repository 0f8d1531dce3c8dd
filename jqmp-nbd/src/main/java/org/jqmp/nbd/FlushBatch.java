package org.jqmp.nbd;

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
