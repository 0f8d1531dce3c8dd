package org.jqmp.block.qcow2;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Guest clusters whose allocating write is between {@link Qcow2Allocation#reserve} and
 * {@link Qcow2Allocation#install}: their data is being written outside the metadata lock and their L2 entries do
 * not name it yet. Another write, write-zeroes or discard touching them waits until the entries are in place
 * (QEMU's qcow2 driver orders overlapping allocations the same way, through its list of in-flight L2 updates), so
 * two partial writes to one fresh cluster never build two copies of it. Used under the metadata lock.
 */
final class InFlightAllocations {
    private final List<long[]> ranges = new ArrayList<>();
    private final Condition done;

    InFlightAllocations(ReentrantLock metadataLock) {
        this.done = metadataLock.newCondition();
    }

    /** Waits (releasing the metadata lock meanwhile) while guest clusters [first, end) are being allocated. */
    void awaitNone(long first, long end) {
        while (overlaps(first, end)) {
            done.awaitUninterruptibly();
        }
    }

    boolean overlaps(long first, long end) {
        for (long[] r : ranges) {
            if (r[0] < end && first < r[1]) {
                return true;
            }
        }
        return false;
    }

    long[] add(long first, long end) {
        long[] r = {first, end};
        ranges.add(r);
        return r;
    }

    void remove(long[] range) {
        ranges.remove(range);
        done.signalAll();
    }
}
