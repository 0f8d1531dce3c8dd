package org.jqmp.block.qcow2;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import org.jqmp.block.BlockNode;

/**
 * The read and write paths of one qcow2 image. Reads, and writes to clusters the image owns alone (COPIED), look
 * their mapping up in the cached L2 tables without the metadata lock ({@link ClusterMap#mapRunCached}) and do the
 * data I/O under the read side of an I/O gate; a table that is not cached, or an entry that needs checking, sends
 * them to the lock. Freeing clusters ({@link #whileNoRequestIo}) takes the write side of the gate, so no request
 * I/O can hit a cluster that is being handed out again. Allocating writes hold the metadata lock only to allocate
 * and, after their data is written, to point the L2 entries at it ({@link Qcow2Allocation}); requests touching
 * clusters in that state wait ({@link InFlightAllocations}).
 *
 * <p>Lock order: metadata lock, then gate. A request holding the gate never waits for the metadata lock, so a
 * flush (which holds the metadata lock and waits for the gate) always gets through.
 */
final class Qcow2Requests {
    private final Qcow2Image image;
    private final BlockNode file;
    private final ReentrantLock meta;
    private final ClusterMap clusters;
    private final InFlightAllocations inFlight;
    private final int cs;
    private final StampedLock gate = new StampedLock();
    /** Set (under the metadata lock) while frees wait for the gate: requests then queue behind the lock. */
    private volatile boolean freeing;

    Qcow2Requests(Qcow2Image image, BlockNode file, ReentrantLock meta, ClusterMap clusters,
                  InFlightAllocations inFlight) {
        this.image = image;
        this.file = file;
        this.meta = meta;
        this.clusters = clusters;
        this.inFlight = inFlight;
        this.cs = image.clusterSize();
    }

    /** Runs {@code frees} (metadata lock held) once no request has data I/O in flight, none starting meanwhile. */
    void whileNoRequestIo(Runnable frees) {
        freeing = true;
        long stamp = gate.writeLock();
        try {
            frees.run();
        } finally {
            gate.unlockWrite(stamp);
            freeing = false;
        }
    }

    /** Reads guest bytes (range checked by the image). */
    void read(long offset, MemorySegment dst) {
        long len = dst.byteSize();
        for (long done = 0; done < len; ) {
            long at = offset + done;
            long stamp = gate.readLock();
            ClusterRun r = freeing ? null : clusters.mapRunCached(at, len - done);
            if (r == null) {
                gate.unlockRead(stamp);
                meta.lock();
                try {
                    r = clusters.mapRun(at, len - done);
                    stamp = gate.readLock();
                } finally {
                    meta.unlock();
                }
            }
            try {
                readRun(r, at, dst.asSlice(done, r.length()));
            } finally {
                gate.unlockRead(stamp);
            }
            done += r.length();
        }
    }

    private void readRun(ClusterRun r, long offset, MemorySegment dst) {
        switch (r.kind()) {
            case DATA -> file.read(r.host(), dst);
            case ZERO -> dst.fill((byte) 0);
            case UNALLOCATED -> image.readBacking(offset, dst);
            case COMPRESSED -> {
                byte[] cluster = Compression.readCluster(file, r.entry(), image.clusterBits(), cs);
                MemorySegment.copy(MemorySegment.ofArray(cluster), offset & (cs - 1), dst, 0, dst.byteSize());
            }
        }
    }

    /** Writes guest bytes (range and writability checked by the image). */
    void write(long offset, MemorySegment src) {
        for (long done = 0; done < src.byteSize(); ) {
            done += writeStep(offset + done, src.asSlice(done));
        }
    }

    /** Writes a prefix of {@code src}: in place without the metadata lock where it can; returns its length. */
    private long writeStep(long offset, MemorySegment src) {
        long stamp = gate.readLock();
        ClusterRun r = freeing ? null : clusters.mapRunCached(offset, src.byteSize());
        if (r == null || r.kind() != ClusterRun.Kind.DATA || !r.copied()) {
            gate.unlockRead(stamp);
            return writeLocked(offset, src);
        }
        try {
            file.write(r.host(), src.asSlice(0, r.length()));
        } finally {
            gate.unlockRead(stamp);
        }
        return r.length();
    }

    /** The write step that may need new clusters: mapped again under the lock (see {@link Qcow2Allocation}). */
    private long writeLocked(long offset, MemorySegment src) {
        ClusterRun r;
        Qcow2Allocation a = null;
        long stamp;
        meta.lock();
        try {
            image.checkWritable();
            r = clusters.mapRun(offset, src.byteSize());
            while (r.kind() != ClusterRun.Kind.DATA || !r.copied()) {
                a = Qcow2Allocation.plan(image, offset, src, r);
                if (!inFlight.overlaps(a.firstCluster(), a.endCluster())) {
                    a.reserve(inFlight);
                    break;
                }
                inFlight.awaitNone(a.firstCluster(), a.endCluster());
                image.checkWritable();
                a = null;
                r = clusters.mapRun(offset, src.byteSize());
            }
            stamp = gate.readLock();
        } finally {
            meta.unlock();
        }
        return a == null ? writeInPlace(r, src, stamp) : allocate(a, stamp);
    }

    private long writeInPlace(ClusterRun r, MemorySegment src, long stamp) {
        try {
            file.write(r.host(), src.asSlice(0, r.length()));
        } finally {
            gate.unlockRead(stamp);
        }
        return r.length();
    }

    private long allocate(Qcow2Allocation a, long stamp) {
        boolean written = false;
        try {
            a.writeData();
            written = true;
        } finally {
            gate.unlockRead(stamp);
            meta.lock();
            try {
                if (written) {
                    a.install();
                }
            } finally {
                a.release(inFlight);
                meta.unlock();
            }
        }
        return a.consumed();
    }
}
