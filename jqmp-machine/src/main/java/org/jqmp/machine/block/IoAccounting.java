package org.jqmp.machine.block;

import java.util.List;
import org.jqmp.api.BlockDeviceStats;

/**
 * The I/O statistics of one drive, counted the way QEMU's {@code block/accounting.c} counts them: a finished
 * request adds its bytes, one operation and its latency; a failed one adds a failed operation (and its latency and
 * access time only when {@code account_failed}); a request refused before it started (out of range, read-only)
 * adds an invalid operation (and the access time only when {@code account_invalid}).
 */
public final class IoAccounting {
    /** QEMU's {@code BlockAcctType}: the counters kept for each kind of request. */
    public enum Kind { READ, WRITE, FLUSH, UNMAP }

    private final boolean accountInvalid;
    private final boolean accountFailed;
    private final long[] bytes = new long[4];
    private final long[] operations = new long[4];
    private final long[] failed = new long[4];
    private final long[] invalid = new long[4];
    private final long[] merged = new long[4];
    private final long[] totalTimeNs = new long[4];
    private long lastAccessNs;

    public IoAccounting(boolean accountInvalid, boolean accountFailed) {
        this.accountInvalid = accountInvalid;
        this.accountFailed = accountFailed;
    }

    /** Marks the start of a request; pass the result to {@link #done} or {@link #failed}. */
    public static long start() {
        return System.nanoTime();
    }

    public synchronized void done(Kind kind, long byteCount, long startNs) {
        long now = System.nanoTime();
        bytes[kind.ordinal()] += byteCount;
        operations[kind.ordinal()]++;
        totalTimeNs[kind.ordinal()] += now - startNs;
        lastAccessNs = now;
    }

    public synchronized void failed(Kind kind, long startNs) {
        long now = System.nanoTime();
        failed[kind.ordinal()]++;
        if (accountFailed) {
            totalTimeNs[kind.ordinal()] += now - startNs;
            lastAccessNs = now;
        }
    }

    public synchronized void invalid(Kind kind) {
        invalid[kind.ordinal()]++;
        if (accountInvalid) {
            lastAccessNs = System.nanoTime();
        }
    }

    /**
     * The counters as {@code BlockDeviceStats}; {@code wr_highest_offset} belongs to the node, not the drive,
     * so the caller gives it. {@code idle_time_ns} is there once any request was counted.
     */
    public synchronized BlockDeviceStats snapshot(long wrHighestOffset) {
        int r = Kind.READ.ordinal(), w = Kind.WRITE.ordinal(), f = Kind.FLUSH.ordinal(), u = Kind.UNMAP.ordinal();
        Long idle = lastAccessNs == 0 ? null : System.nanoTime() - lastAccessNs;
        return new BlockDeviceStats(bytes[r], bytes[w], bytes[u], operations[r], operations[w], operations[f],
                operations[u], totalTimeNs[r], totalTimeNs[w], totalTimeNs[f], totalTimeNs[u], wrHighestOffset,
                merged[r], merged[w], merged[u], idle, failed[r], failed[w], failed[f], failed[u], invalid[r],
                invalid[w], invalid[f], invalid[u], accountInvalid, accountFailed, List.of(), null, null, null);
    }

    /** What a node with no drive reports: nothing counted, no accounting flags (QEMU's zeroed stats). */
    public static BlockDeviceStats none(long wrHighestOffset) {
        return new IoAccounting(false, false).snapshot(wrHighestOffset);
    }
}
