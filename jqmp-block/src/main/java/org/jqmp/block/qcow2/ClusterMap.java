package org.jqmp.block.qcow2;

import static org.jqmp.block.qcow2.Qcow2Image.COMPRESSED;
import static org.jqmp.block.qcow2.Qcow2Image.COPIED;
import static org.jqmp.block.qcow2.Qcow2Image.OFFSET_MASK;
import static org.jqmp.block.qcow2.Qcow2Image.ZERO_FLAG;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import org.jqmp.block.BlockNode;

/**
 * The L1 and L2 tables of one image (qcow2 spec "Cluster mapping"): where each guest cluster lives. L1 is held
 * whole, L2 tables through a bounded cache; changed entries are written back when {@link Qcow2Image#flush()}
 * says, L2 before L1. Every method runs under the image's metadata lock, except {@link #mapRunCached}, the
 * lock-free lookup of the request path (L1 entries are published with release semantics, as L2 entries are).
 */
final class ClusterMap {
    private static final VarHandle L1_ENTRY = MethodHandles.arrayElementVarHandle(long[].class);
    /** Stands for "no L2 table": every entry reads as 0. */
    private static final L2Cache.Table NO_TABLE = new L2Cache.Table(0, new long[0]);

    private final Qcow2Image image;
    private final BlockNode file;
    private final Refcounts refcounts;
    private final int cb, cs, l2Bits;
    private final boolean v3;
    private final L2Cache l2;
    private final Set<Long> l2Offsets = new HashSet<>();
    private final BitSet l1Dirty = new BitSet();
    private volatile long[] l1;

    ClusterMap(Qcow2Image image, BlockNode file, Qcow2Header h, Refcounts refcounts, long l2CacheBytes,
               Runnable flushMetadata) {
        this.image = image;
        this.file = file;
        this.refcounts = refcounts;
        this.cb = h.clusterBits();
        this.cs = h.clusterSize();
        this.l2Bits = cb - 3;
        this.v3 = h.version() == 3;
        this.l1 = readL1(h);
        this.l2 = new L2Cache((int) (l2CacheBytes >> cb), l1.length, flushMetadata::run);
    }

    private long[] readL1(Qcow2Header h) {
        if (h.l1Size() == 0) {
            return new long[0];
        }
        ByteBuffer b = ByteBuffer.wrap(file.read(h.l1TableOffset(), h.l1Size() * 8));
        long[] t = new long[h.l1Size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = b.getLong(i * 8);
            long off = t[i] & OFFSET_MASK;
            if (off != 0) {
                l2Offsets.add(off);
            }
        }
        return t;
    }

    private long[] loadL2(long offset) {
        if ((offset & (cs - 1)) != 0 || offset >= file.size()) {
            throw image.corruption(offset, "L2 table offset 0x" + Long.toHexString(offset)
                    + " unaligned or past the end of the file");
        }
        ByteBuffer b = ByteBuffer.wrap(file.read(offset, cs));
        long[] t = new long[cs / 8];
        for (int i = 0; i < t.length; i++) {
            t[i] = b.getLong(i * 8);
        }
        return t;
    }

    long[] l1Table() {
        return l1.clone();
    }

    long l1Entry(int index) {
        long[] t = l1;
        return index < t.length ? (long) L1_ENTRY.getAcquire(t, index) : 0;
    }

    int l1Length() {
        return l1.length;
    }

    /** Raw L2 table at an offset taken from an L1 table (the cached copy if there is one, else from the file). */
    long[] l2Table(long offset) {
        L2Cache.Table t = l2.findByOffset(offset);
        return t != null ? t.copy() : loadL2(offset);
    }

    boolean isL2Table(long hostCluster) {
        return l2Offsets.contains(hostCluster);
    }

    int l2Index(long vc) {
        return (int) (vc & ((1L << l2Bits) - 1));
    }

    /** The L2 table that maps guest cluster {@code vc}, loaded if needed; {@link #NO_TABLE} when there is none. */
    private L2Cache.Table tableOf(long vc) {
        int l1Index = (int) Math.min(vc >>> l2Bits, Integer.MAX_VALUE);
        long l2Offset = l1Entry(l1Index) & OFFSET_MASK;
        return l2Offset == 0 ? NO_TABLE : l2.get(l1Index, l2Offset, this::loadL2);
    }

    /** Like {@link #tableOf} without the lock: null when the table is not cached. */
    private L2Cache.Table cachedTableOf(long vc) {
        int l1Index = (int) Math.min(vc >>> l2Bits, Integer.MAX_VALUE);
        long l2Offset = l1Entry(l1Index) & OFFSET_MASK;
        return l2Offset == 0 ? NO_TABLE : l2.peek(l1Index, l2Offset);
    }

    /** The L2 entry of guest cluster {@code vc}, 0 when its L2 table is not allocated. */
    long entry(long vc) {
        L2Cache.Table t = tableOf(vc);
        return t == NO_TABLE ? 0 : t.get(l2Index(vc));
    }

    ClusterRun.Kind kindOf(long e) {
        if ((e & COMPRESSED) != 0) {
            return ClusterRun.Kind.COMPRESSED;
        }
        if (v3 && (e & ZERO_FLAG) != 0) {
            return ClusterRun.Kind.ZERO;
        }
        return (e & OFFSET_MASK) == 0 ? ClusterRun.Kind.UNALLOCATED : ClusterRun.Kind.DATA;
    }

    /** Maps guest bytes from {@code offset}, at most {@code maxLen}, not crossing an L2 table. */
    ClusterRun mapRun(long offset, long maxLen) {
        ClusterRun r = mapRun(offset, maxLen, tableOf(offset >>> cb));
        if (r == null) {
            long host = entry(offset >>> cb) & OFFSET_MASK;
            throw image.corruption(host, "Cluster allocation offset 0x" + Long.toHexString(host)
                    + " unaligned (guest cluster " + (offset >>> cb) + ")");
        }
        return r;
    }

    /**
     * {@link #mapRun} without the metadata lock, for the request path: null when the L2 table is not cached or
     * the entry is damaged (the caller then maps under the lock, which loads the table or reports corruption).
     */
    ClusterRun mapRunCached(long offset, long maxLen) {
        L2Cache.Table t = cachedTableOf(offset >>> cb);
        return t == null ? null : mapRun(offset, maxLen, t);
    }

    private ClusterRun mapRun(long offset, long maxLen, L2Cache.Table t) {
        long vc = offset >>> cb;
        int inCluster = (int) (offset & (cs - 1));
        int i0 = l2Index(vc);
        long e = t == NO_TABLE ? 0 : t.get(i0);
        ClusterRun.Kind kind = kindOf(e);
        long host = e & OFFSET_MASK;
        boolean copied = (e & COPIED) != 0;
        if (kind == ClusterRun.Kind.DATA && (host & (cs - 1)) != 0) {
            return null;
        }
        long len = cs - inCluster;
        int end = 1 << l2Bits;
        for (int i = i0 + 1; len < maxLen && i < end && kind != ClusterRun.Kind.COMPRESSED; i++) {
            long n = t == NO_TABLE ? 0 : t.get(i);
            if (!continues(n, kind, host, host + ((long) (i - i0) << cb), copied)) {
                break;
            }
            len += cs;
        }
        long hostStart = kind == ClusterRun.Kind.DATA ? host + inCluster : host;
        return new ClusterRun(kind, hostStart, Math.min(len, maxLen), copied, e);
    }

    /**
     * Whether entry {@code n} extends a run of {@code kind} that started at host cluster {@code first} and would
     * continue at {@code expected}: data must be contiguous on the host; preallocated zero clusters too (one run
     * per contiguous host range), plain zero clusters go together.
     */
    private boolean continues(long n, ClusterRun.Kind kind, long first, long expected, boolean copied) {
        if (kindOf(n) != kind || ((n & COPIED) != 0) != copied) {
            return false;
        }
        long nHost = n & OFFSET_MASK;
        return switch (kind) {
            case DATA -> nHost == expected;
            case ZERO -> first == 0 ? nHost == 0 : nHost == expected;
            default -> true;
        };
    }

    /** The L2 table for guest cluster {@code vc}, allocating (or unsharing) it for a write. */
    L2Cache.Table l2ForWrite(long vc) {
        int l1Index = (int) (vc >>> l2Bits);
        long e = l1Entry(l1Index);
        long off = e & OFFSET_MASK;
        if (off != 0 && (e & COPIED) != 0) {
            return l2.get(l1Index, off, this::loadL2);
        }
        long[] entries = off == 0 ? new long[cs / 8] : l2.get(l1Index, off, this::loadL2).copy();
        long fresh = image.allocateClusters(1);
        L2Cache.Table t = l2.create(l1Index, fresh, entries);
        l2Offsets.add(fresh);
        L1_ENTRY.setRelease(l1, l1Index, fresh | COPIED);
        l1Dirty.set(l1Index);
        if (off != 0) {
            refcounts.freeLater(off, cs);
        }
        return t;
    }

    /** Queues the host clusters an L2 entry referenced for freeing (after the entry is gone on disk). */
    void releaseEntry(long e) {
        if ((e & COMPRESSED) != 0) {
            long host = Compression.hostOffset(e, cb);
            refcounts.freeLater(host & ~511L, Compression.compressedBytes(e, cb) + (host & 511));
        } else if ((e & OFFSET_MASK) != 0) {
            refcounts.freeLater(e & OFFSET_MASK, cs);
        }
    }

    /**
     * Drops whole guest clusters [first, end): on v3 they become zero clusters (QEMU 7.2 does the same; qemu-img
     * map then says present, zero), on v2, which cannot say zero, unallocated.
     */
    void discard(long first, long end) {
        for (long vc = first; vc < end; vc++) {
            long e = entry(vc);
            if (e == 0 || (kindOf(e) == ClusterRun.Kind.ZERO && (e & OFFSET_MASK) == 0)) {
                continue;
            }
            l2ForWrite(vc).set(l2Index(vc), v3 ? ZERO_FLAG : 0);
            releaseEntry(e);
        }
    }

    /** Writes the changed L2 tables; true when something was written. */
    boolean writeDirtyL2() {
        boolean wrote = false;
        for (L2Cache.Table t : l2.all()) {
            if (t.dirty) {
                byte[] b = t.encode();
                file.write(t.offset, b, 0, b.length);
                t.dirty = false;
                wrote = true;
            }
        }
        return wrote;
    }

    /** Writes the changed L1 entries into the table at {@code l1Offset}; true when something was written. */
    boolean writeDirtyL1(long l1Offset) {
        if (l1Dirty.isEmpty()) {
            return false;
        }
        for (int i = l1Dirty.nextSetBit(0); i >= 0; i = l1Dirty.nextSetBit(i + 1)) {
            byte[] e = ByteBuffer.allocate(8).putLong(l1Entry(i)).array();
            file.write(l1Offset + i * 8L, e, 0, 8);
        }
        l1Dirty.clear();
        return true;
    }

    /** Forgets tables and caches after {@link MetadataSwitch} put a new L1 table in place (everything flushed). */
    void reload(Qcow2Header h) {
        l2Offsets.clear();
        l1Dirty.clear();
        long[] fresh = readL1(h);
        l2.clear(fresh.length);
        l1 = fresh;
    }

    /** L1 entries needed for {@code size} guest bytes. */
    long l1EntriesFor(long size) {
        return (size + ((long) cs << l2Bits) - 1) >>> (cb + l2Bits);
    }

    /** The L1 table grown to {@code entries}, encoded in whole clusters, for writing at a new place. */
    byte[] grownL1(int entries, int clusters) {
        ByteBuffer b = ByteBuffer.allocate(clusters << cb);
        for (int i = 0; i < Math.min(entries, l1.length); i++) {
            b.putLong(i * 8, l1[i]);
        }
        return b.array();
    }

    /** Switches to the grown L1 once the header points to it (everything in it is on disk). */
    void useGrownL1(int entries) {
        l2.growTo(entries);
        l1 = Arrays.copyOf(l1, entries);
        l1Dirty.clear();
    }
}
