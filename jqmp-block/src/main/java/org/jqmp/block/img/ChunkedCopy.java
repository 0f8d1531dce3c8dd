package org.jqmp.block.img;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;
import org.jqmp.block.NativeBuffers;

/**
 * The copy loop of {@code convert} into a fresh target: the source is read in large chunks by several threads at
 * once, each into its own native buffer (page cache to that memory, no copy in Java); all-zero units (a target
 * cluster, or 4 KiB for raw) are skipped, since a fresh target reads them as zeroes, and consecutive data units go
 * out in one write. Writes are issued in chunk order, one chunk at a time, as qemu-img convert does without
 * {@code -W}: the target's clusters are allocated in guest order, and while one thread writes, the others read
 * ahead. Memory is bounded: threads times one chunk. Ranges the source reports as zero are not read at all.
 */
final class ChunkedCopy {
    /** Bytes per chunk (qemu-img convert's default buffer is 2 MiB too). */
    static final int CHUNK = 2 << 20;

    private final BlockNode src, dst;
    private final int unit, chunk, threads;
    private final LongConsumer progress;
    private final AtomicLong nextChunk = new AtomicLong();
    private final Object turn = new Object();
    private long nextWrite;
    private volatile Throwable failure;

    /**
     * @param unit     the target's allocation unit: all-zero units are skipped
     * @param progress called with the bytes done so far, in order, after each chunk
     */
    ChunkedCopy(BlockNode src, BlockNode dst, int unit, LongConsumer progress) {
        this.src = src;
        this.dst = dst;
        this.unit = unit;
        this.chunk = Math.max(CHUNK / unit, 1) * unit;
        this.threads = Math.clamp(Runtime.getRuntime().availableProcessors() + 1, 2, 8);
        this.progress = progress;
    }

    void run() {
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            workers.add(Thread.ofPlatform().name("convert-" + i).start(this::work));
        }
        boolean interrupted = false;
        for (Thread w : workers) {
            while (w.isAlive()) {
                try {
                    w.join();
                } catch (InterruptedException e) {
                    interrupted = true; // the workers finish their chunk either way; keep the flag for the caller
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        } else if (failure instanceof Error e) {
            throw e;
        }
    }

    private void work() {
        long size = src.size();
        try (NativeBuffers.Lease lease = NativeBuffers.take(chunk)) {
            for (long k = nextChunk.getAndIncrement(); (long) k * chunk < size && failure == null;
                 k = nextChunk.getAndIncrement()) {
                long at = k * chunk;
                MemorySegment buf = lease.segment().asSlice(0, Math.min(chunk, size - at));
                boolean zero = readsAsZero(at, buf.byteSize());
                if (!zero) {
                    src.read(at, buf);
                }
                awaitTurn(k);
                try {
                    if (!zero) {
                        writeData(at, buf);
                    }
                    progress.accept(at + buf.byteSize());
                } finally {
                    passTurn();
                }
            }
        } catch (Throwable t) {
            synchronized (turn) {
                if (failure == null) {
                    failure = t;
                }
                turn.notifyAll();
            }
        }
    }

    /** Whether the source says the range reads as zeroes without reading it (zero, or unallocated at the bottom). */
    private boolean readsAsZero(long at, long len) {
        for (long end = at + len; at < end; ) {
            Extent x = src.status(at, end - at);
            boolean zero = x.state() == Extent.State.ZERO
                    || x.state() == Extent.State.UNALLOCATED && src.backing().isEmpty();
            if (!zero || x.length() <= 0) {
                return false;
            }
            at += x.length();
        }
        return true;
    }

    /** Writes the data of one chunk: each run of units that are not all zero in one request. */
    private void writeData(long at, MemorySegment buf) {
        long n = buf.byteSize();
        for (long p = 0; p < n; ) {
            long len = Math.min(unit, n - p);
            if (isZero(buf, p, len)) {
                p += len;
                continue;
            }
            long end = p + len;
            while (end < n && !isZero(buf, end, Math.min(unit, n - end))) {
                end += Math.min(unit, n - end);
            }
            dst.write(at + p, buf.asSlice(p, end - p));
            p = end;
        }
    }

    static boolean isZero(MemorySegment buf, long off, long len) {
        for (long done = 0; done < len; ) {
            long n = Math.min(len - done, NativeBuffers.maxZeroes());
            if (MemorySegment.mismatch(buf, off + done, off + done + n, NativeBuffers.zeroes(n), 0, n) >= 0) {
                return false;
            }
            done += n;
        }
        return true;
    }

    private void awaitTurn(long k) throws InterruptedException {
        synchronized (turn) {
            while (nextWrite != k && failure == null) {
                turn.wait();
            }
            if (failure != null) {
                throw new IllegalStateException("stopped: another chunk failed");
            }
        }
    }

    private void passTurn() {
        synchronized (turn) {
            nextWrite++;
            turn.notifyAll();
        }
    }
}
