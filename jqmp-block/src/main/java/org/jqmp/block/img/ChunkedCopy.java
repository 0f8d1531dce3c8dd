package org.jqmp.block.img;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;
import org.jqmp.block.NativeBuffers;
import org.jqmp.block.qcow2.Qcow2Image;

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
     * What convert does with zeroes and with what the source's backing file holds (qemu-img convert's -S, -n,
     * --target-is-zero, -B).
     *
     * @param unit            zero runs of whole units (a target cluster, 4 KiB for raw, or -S) are zeroes, not
     *                        data; 0 ({@code -S 0}): everything is data, written as read
     * @param targetReadsZero the target reads as zeroes where nothing is written (a fresh image without backing
     *                        file, or --target-is-zero): zeroes are skipped; else they are written as zeroes
     * @param keepBacking     the target has a backing file (-B): what the source leaves to its backing file is left
     *                        unallocated in the target too, as qemu-img does (it trusts the two backing files agree)
     */
    record Mode(int unit, boolean targetReadsZero, boolean keepBacking) {
        static Mode fresh(int unit) {
            return new Mode(unit, true, false);
        }
    }

    private enum Kind { DATA, ZERO, BACKING }

    /** One part of a chunk: what the source holds there. */
    private record Part(Kind kind, long offset, long length) {
    }

    private final Mode mode;

    /**
     * @param unit     the target's allocation unit: all-zero units are skipped
     * @param progress called with the bytes done so far, in order, after each chunk
     */
    ChunkedCopy(BlockNode src, BlockNode dst, int unit, LongConsumer progress) {
        this(src, dst, Mode.fresh(unit), progress);
    }

    ChunkedCopy(BlockNode src, BlockNode dst, Mode mode, LongConsumer progress) {
        this.src = src;
        this.dst = dst;
        this.mode = mode;
        this.unit = Math.max(mode.unit(), 512);
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
                List<Part> parts = parts(at, buf.byteSize());
                for (Part p : parts) {
                    if (p.kind() == Kind.DATA) {
                        src.read(p.offset(), buf.asSlice(p.offset() - at, p.length()));
                    }
                }
                awaitTurn(k);
                try {
                    for (Part p : parts) {
                        switch (p.kind()) {
                            case DATA -> writeData(p.offset(), buf.asSlice(p.offset() - at, p.length()));
                            case ZERO -> zeroes(p.offset(), p.length());
                            case BACKING -> { } // left to the target's backing file
                        }
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

    /**
     * The chunk as the source's block status describes it (runs of one kind merged): zero where it says zero (or
     * unallocated with nothing below), backing where it leaves the bytes to its backing file and the target keeps
     * them there too, data elsewhere. With {@code -S 0} all of it is data.
     */
    private List<Part> parts(long at, long len) {
        List<Part> parts = new ArrayList<>();
        if (mode.unit() == 0) {
            parts.add(new Part(Kind.DATA, at, len));
            return parts;
        }
        for (long end = at + len; at < end; ) {
            Extent x = src.status(at, end - at);
            long n = x.length() <= 0 ? end - at : Math.min(x.length(), end - at);
            Kind kind = switch (x.state()) {
                case ZERO -> Kind.ZERO;
                case UNALLOCATED -> src.backing().isEmpty() ? Kind.ZERO : mode.keepBacking() ? Kind.BACKING : Kind.DATA;
                default -> Kind.DATA;
            };
            Part last = parts.isEmpty() ? null : parts.getLast();
            if (last != null && last.kind() == kind) {
                parts.set(parts.size() - 1, new Part(kind, last.offset(), last.length() + n));
            } else {
                parts.add(new Part(kind, at, n));
            }
            at += n;
        }
        return parts;
    }

    /**
     * Zeroes where the target may not read them already: whole qcow2 clusters dropped first (QEMU's write-zeroes
     * with unmap: a zero cluster on v3, unallocated on v2 without backing file), then written as zeroes, which the
     * qcow2 driver says in metadata where it can (unallocated clusters above a backing file become zero clusters).
     */
    private void zeroes(long offset, long length) {
        if (!mode.targetReadsZero()) {
            writeZeroesUnmapping(dst, offset, length);
        }
    }

    /** QEMU's write-zeroes with BDRV_REQ_MAY_UNMAP, as convert and commit issue it (see {@link #zeroes}). */
    static void writeZeroesUnmapping(BlockNode dst, long offset, long length) {
        if (length <= 0) {
            return;
        }
        if (dst instanceof Qcow2Image q && (q.version() == 3 || q.backingFilename() == null)) {
            long cs = q.clusterSize(), first = (offset + cs - 1) / cs * cs;
            long last = offset + length == q.size() ? offset + length : (offset + length) / cs * cs;
            if (last > first) {
                dst.discard(first, last - first);
            }
        }
        dst.writeZeroes(offset, length);
    }

    /**
     * Writes data read at {@code at}: each run of units that are not all zero in one request; all-zero units (at
     * least {@code unit} long, aligned to it) are zeroes. With {@code -S 0} everything is written as it is.
     */
    private void writeData(long at, MemorySegment buf) {
        long n = buf.byteSize();
        if (mode.unit() == 0) {
            dst.write(at, buf);
            return;
        }
        for (long p = 0; p < n; ) {
            long len = Math.min(unit - (at + p) % unit, n - p);
            if (isZero(buf, p, len)) {
                zeroes(at + p, len);
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
