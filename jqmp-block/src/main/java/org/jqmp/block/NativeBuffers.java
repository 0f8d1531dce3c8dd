package org.jqmp.block;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Page-aligned native memory for I/O, pooled. A read or write through {@link BlockNode} with a native segment
 * goes straight between the page cache and that memory (one copy, in the kernel); a heap array costs the JDK one
 * more copy through a temporary direct buffer. The engine takes its scratch buffers (partial clusters, convert
 * chunks) from here, and callers that move much data should too.
 *
 * <p>Buffers come in power-of-two classes from 4 KiB to 16 MiB; each class keeps at most {@link #KEPT} idle
 * buffers, the rest are left to the garbage collector ({@link Arena#ofAuto()}), so the pool stays bounded.
 */
public final class NativeBuffers {
    /** Page alignment: what the kernel copies fastest, and what O_DIRECT would need. */
    public static final int ALIGNMENT = 4096;
    private static final int MIN_SHIFT = 12, MAX_SHIFT = 24, KEPT = 16;
    /** A zeroed, read-only segment: the source of every zero-filled write (2 MiB, the largest qcow2 cluster). */
    private static final MemorySegment ZEROES = Arena.global().allocate(2 << 20, ALIGNMENT).asReadOnly();

    @SuppressWarnings("unchecked")
    private static final ConcurrentLinkedQueue<MemorySegment>[] IDLE = new ConcurrentLinkedQueue[MAX_SHIFT + 1];
    private static final AtomicInteger[] IDLE_COUNT = new AtomicInteger[MAX_SHIFT + 1];

    static {
        for (int s = MIN_SHIFT; s <= MAX_SHIFT; s++) {
            IDLE[s] = new ConcurrentLinkedQueue<>();
            IDLE_COUNT[s] = new AtomicInteger();
        }
    }

    private NativeBuffers() {
    }

    /**
     * A buffer of exactly {@code size} bytes (contents undefined), to be closed when done. Sizes above 16 MiB
     * are allocated on their own and not kept.
     */
    public static Lease take(long size) {
        int shift = Math.max(MIN_SHIFT, 64 - Long.numberOfLeadingZeros(Math.max(1, size) - 1));
        if (shift > MAX_SHIFT) {
            return new Lease(Arena.ofAuto().allocate(size, ALIGNMENT), -1, size);
        }
        MemorySegment s = IDLE[shift].poll();
        if (s != null) {
            IDLE_COUNT[shift].decrementAndGet();
        } else {
            s = Arena.ofAuto().allocate(1L << shift, ALIGNMENT);
        }
        return new Lease(s, shift, size);
    }

    /** {@code length} zero bytes, read-only; at most 2 MiB at a time. */
    public static MemorySegment zeroes(long length) {
        return ZEROES.asSlice(0, length);
    }

    /** The largest {@link #zeroes} slice. */
    public static long maxZeroes() {
        return ZEROES.byteSize();
    }

    /** A buffer taken from the pool; {@link #close()} gives it back. Not for use after close. */
    public static final class Lease implements AutoCloseable {
        private final MemorySegment whole;
        private final MemorySegment segment;
        private final int shift;
        private boolean closed;

        private Lease(MemorySegment whole, int shift, long size) {
            this.whole = whole;
            this.segment = whole.asSlice(0, size);
            this.shift = shift;
        }

        public MemorySegment segment() {
            return segment;
        }

        @Override
        public void close() {
            if (closed || shift < 0) {
                return;
            }
            closed = true;
            if (IDLE_COUNT[shift].incrementAndGet() <= KEPT) {
                IDLE[shift].offer(whole);
            } else {
                IDLE_COUNT[shift].decrementAndGet();
            }
        }
    }
}
