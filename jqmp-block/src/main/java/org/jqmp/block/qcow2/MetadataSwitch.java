package org.jqmp.block.qcow2;

import static org.jqmp.block.qcow2.Qcow2Image.COMPRESSED;
import static org.jqmp.block.qcow2.Qcow2Image.COPIED;
import static org.jqmp.block.qcow2.Qcow2Image.OFFSET_MASK;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jqmp.block.BlockException;

/**
 * Moves an image to a new shape of its metadata - active L1 table, size, snapshot list - as one atomic step, for
 * internal snapshots (create, apply, delete). QEMU updates refcounts and COPIED flags in place, which leaves a
 * window where {@code qemu-img check} reports errors if the process dies; jqmp instead writes a complete new
 * generation beside the old one, in clusters the old generation does not use:
 * <ul>
 * <li>the active L1 table, with COPIED flags recomputed (qcow2 spec: set exactly when the refcount is 1);</li>
 * <li>copies of the active L2 tables whose COPIED flags change (the old ones stay with whoever still uses them);</li>
 * <li>the snapshot table;</li>
 * <li>a refcount table and refcount blocks counted from scratch, as {@code qemu-img check} counts.</li>
 * </ul>
 * All of it is synced, then one header write (bytes 24 to 71, one sector) switches to it. A crash before that
 * write leaves the old image untouched (the new clusters are unreferenced and counted free); after it, the new
 * one, with no leak. Clusters only the old generation used are free in the new refcounts.
 *
 * <p>Runs with the metadata lock held, everything flushed and no request I/O in flight.
 */
final class MetadataSwitch {
    /** The shape wanted: size, the active L1 entries (COPIED flags are recomputed), the snapshot table. */
    record Target(long size, long[] activeL1, List<SnapshotTable.Entry> snapshots, boolean snapshotTableUnchanged) {
        Target {
            activeL1 = activeL1.clone();
            snapshots = List.copyOf(snapshots);
        }
    }

    private final Qcow2Image img;
    private final int cb, cs;
    private final long entriesPerBlock;
    private final ReferenceCounts refs;

    private MetadataSwitch(Qcow2Image img) {
        this.img = img;
        this.cb = img.clusterBits();
        this.cs = img.clusterSize();
        this.entriesPerBlock = img.refcounts().entriesPerBlock();
        this.refs = new ReferenceCounts(img.fileNode().size(), cb);
    }

    /**
     * Moves the image to the shape {@code plan} computes from the current one: every pending change flushed
     * first, no request I/O meanwhile, the caches reloaded after (from the old tables if the switch did not happen).
     */
    static void run(Qcow2Image img, Supplier<Target> plan) {
        img.metadataLock().lock();
        try {
            img.checkWritable();
            img.awaitAllocations();
            img.flushMetadata();
            img.whileNoRequestIo(() -> {
                try {
                    new MetadataSwitch(img).switchTo(plan.get());
                } finally {
                    img.reloadMetadata();
                }
            });
        } finally {
            img.metadataLock().unlock();
        }
    }

    private void switchTo(Target t) {
        Qcow2Header old = img.header();
        refs.add(0, cs); // the header cluster
        for (SnapshotTable.Entry e : t.snapshots()) {
            Snapshot s = e.snapshot();
            long[] snapshotL1 = SnapshotTable.readL1(img, s);
            refs.add(s.l1TableOffset(), (long) snapshotL1.length * 8);
            walkL1(snapshotL1);
        }
        long[] l1 = t.activeL1().clone();
        walkL1(l1);
        List<L2Copy> copies = activeL2Copies(l1);
        byte[] table = SnapshotTable.encode(t.snapshots());
        if (t.snapshotTableUnchanged()) {
            refs.add(old.snapshotsOffset(), SnapshotTable.storedBytes(img));
        }
        int l1Clusters = clustersFor((long) l1.length * 8);
        int tableClusters = t.snapshotTableUnchanged() ? 0 : clustersFor(table.length);
        Layout layout = place(l1Clusters + tableClusters + copies.size());
        long next = layout.start << cb;
        long l1Offset = l1.length == 0 ? old.l1TableOffset() : next;
        next += (long) l1Clusters << cb;
        long tableOffset = table.length == 0 ? 0 : t.snapshotTableUnchanged() ? old.snapshotsOffset() : next;
        next += (long) tableClusters << cb;
        for (L2Copy c : copies) {
            l1[c.l1Index] = next | COPIED;
            writeTable(next, c.entries);
            next += cs;
        }
        refs.add(layout.start << cb, (long) layout.clusters << cb);
        for (int i = 0; i < l1.length; i++) {
            long off = l1[i] & OFFSET_MASK;
            l1[i] = off == 0 ? 0 : refs.get(off >>> cb) == 1 ? off | COPIED : off;
        }
        writeTable(l1Offset, l1);
        if (tableClusters > 0) {
            img.fileNode().write(tableOffset, table, 0, table.length);
        }
        long rtOffset = next;
        writeRefcounts(layout, next);
        img.fileNode().flush(); // the whole new generation is durable before the header names it
        img.headerUpdates().switchMetadata(old.withMetadata(t.size(), l1.length, l1Offset, rtOffset,
                layout.tableClusters, t.snapshots().size(), tableOffset));
    }

    // ---- counting references (as qemu-img check does)

    private void walkL1(long[] l1) {
        for (long e : l1) {
            long l2 = e & OFFSET_MASK;
            if (l2 != 0) {
                refs.add(checked(l2, "L2 table"), cs);
                for (long entry : img.clusters().l2Table(l2)) {
                    walkL2Entry(entry);
                }
            }
        }
    }

    private void walkL2Entry(long e) {
        if ((e & COMPRESSED) != 0) {
            long host = Compression.hostOffset(e, cb);
            checked(host & -cs, "compressed cluster");
            refs.add(host & ~511L, Compression.compressedBytes(e, cb) + (host & 511));
        } else if ((e & OFFSET_MASK) != 0) {
            refs.add(checked(e & OFFSET_MASK, "data cluster"), cs);
        }
    }

    /** A cluster the tables name: aligned and inside the file, or the image is damaged and nothing is written. */
    private long checked(long offset, String what) {
        String problem = (offset & (cs - 1)) != 0 ? "is not cluster aligned"
                : offset >= img.fileNode().size() ? "is past the end of the file" : null;
        if (problem != null) {
            throw new BlockException(img.filename(), offset, "The " + what + " at 0x" + Long.toHexString(offset)
                    + " " + problem + "; run 'qemu-img check -r all'", null);
        }
        return offset;
    }

    // ---- COPIED flags of the active tables

    private record L2Copy(int l1Index, long[] entries) {
    }

    /**
     * The active L2 tables whose entries' COPIED flags are wrong for the new counts get a copy (the old table may
     * still be shared, and must not change before the switch); the copy takes over the active reference.
     */
    private List<L2Copy> activeL2Copies(long[] l1) {
        List<L2Copy> copies = new ArrayList<>();
        for (int i = 0; i < l1.length; i++) {
            long l2 = l1[i] & OFFSET_MASK;
            if (l2 == 0) {
                continue;
            }
            long[] entries = img.clusters().l2Table(l2);
            long[] wanted = entries.clone();
            for (int j = 0; j < wanted.length; j++) {
                wanted[j] = withCopiedFlag(wanted[j]);
            }
            if (!Arrays.equals(entries, wanted)) {
                copies.add(new L2Copy(i, wanted));
                refs.remove(l2);
            }
        }
        return copies;
    }

    /** qcow2 spec "L2 entries": bit 63 set exactly for a (normal or zero) cluster whose refcount is 1. */
    private long withCopiedFlag(long e) {
        long host = e & OFFSET_MASK;
        boolean copied = (e & COMPRESSED) == 0 && host != 0 && refs.get(host >>> cb) == 1;
        return copied ? e | COPIED : e & ~COPIED;
    }

    // ---- placing the new generation

    /** Where the new clusters go: L1, snapshot table and L2 copies ({@code fixed}), refcount table, blocks. */
    private record Layout(long start, int clusters, int tableClusters, long[] blockIndexes) {
    }

    /**
     * Finds the first run of clusters free in both generations that holds the fixed part, the refcount table and
     * the refcount blocks - whose number depends on where the run is: start from an upper bound, then shrink the
     * run in place until it is exactly what it needs (each step needs no more than the one before).
     */
    private Layout place(int fixed) {
        long end = Math.max(refs.highest() + 1, clustersForLong(img.fileNode().size()));
        int existingBlocks = refs.blockIndexes(entriesPerBlock, -1, -1).size();
        long n = fixed + 2;
        for (long bound; (bound = fixed + existingBlocks + n / entriesPerBlock + 2
                + clustersFor(((end + n) / entriesPerBlock + 2) * 8)) > n; ) {
            n = bound;
        }
        long start = firstFree(n);
        for (int round = 0; round < 1000; round++) {
            TreeSet<Long> blocks = refs.blockIndexes(entriesPerBlock, start, start + n);
            int tableClusters = clustersFor((blocks.last() + 1) * 8);
            long needed = fixed + tableClusters + blocks.size();
            if (needed == n) {
                return new Layout(start, (int) n, tableClusters, blocks.stream().mapToLong(Long::longValue).toArray());
            }
            if (needed > n) { // only past the bound's assumptions: look again for a run this long
                start = firstFree(needed);
            }
            n = needed;
        }
        throw new BlockException(img.filename(), "Could not find room for the new refcount structures");
    }

    private long firstFree(long n) {
        Refcounts old = img.refcounts();
        long run = 0;
        for (long c = 0; ; c++) {
            run = refs.get(c) == 0 && old.get(c) == 0 ? run + 1 : 0;
            if (run == n) {
                return c - n + 1;
            }
        }
    }

    private void writeRefcounts(Layout layout, long rtOffset) {
        long[] blockIndexes = layout.blockIndexes();
        long firstBlock = rtOffset + ((long) layout.tableClusters() << cb);
        long max = RefcountBlock.maxRefcount(img.refcounts().refcountOrder());
        ByteBuffer table = ByteBuffer.allocate(layout.tableClusters() << cb);
        for (int k = 0; k < blockIndexes.length; k++) {
            long blockOffset = firstBlock + ((long) k << cb);
            RefcountBlock b = new RefcountBlock(blockOffset, new byte[cs], img.refcounts().refcountOrder());
            long base = blockIndexes[k] * entriesPerBlock;
            for (int i = 0; i < entriesPerBlock; i++) {
                long v = refs.get(base + i);
                if (v > max) {
                    throw new BlockException(img.filename(), (base + i) << cb, "Cluster " + (base + i) + " would be "
                            + "referenced " + v + " times, more than refcount_bits=" + Long.bitCount(max)
                            + " can count", null);
                }
                b.set(i, v);
            }
            img.fileNode().write(blockOffset, b.data, 0, cs);
            table.putLong((int) (blockIndexes[k] * 8), blockOffset);
        }
        img.fileNode().write(rtOffset, table.array(), 0, table.capacity());
    }

    private void writeTable(long offset, long[] entries) {
        ByteBuffer b = ByteBuffer.allocate(clustersFor((long) entries.length * 8) << cb);
        for (long e : entries) {
            b.putLong(e);
        }
        img.fileNode().write(offset, b.array(), 0, b.capacity());
    }

    private int clustersFor(long bytes) {
        return (int) clustersForLong(bytes);
    }

    private long clustersForLong(long bytes) {
        return (bytes + cs - 1) >>> cb;
    }
}
