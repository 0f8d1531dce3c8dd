package org.jqmp.block.qcow2;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockNode;
import org.jqmp.block.ImageCorruptException;

/**
 * The refcount table and a bounded cache of refcount blocks of one qcow2 image, with cluster allocation.
 * Not thread safe: the image calls it under its metadata lock.
 *
 * <p>Crash safety (qcow2 spec: a cluster's refcount must never be lower than its references). Increments may
 * reach the disk at any time (at worst a leak). Decrements are queued ({@link #freeLater}) and applied only by
 * {@link #applyFrees}, which the image calls after the references were removed on disk. A new refcount block
 * is written and synced before the table points to it; a new table and its blocks are written and synced
 * before the header points to them.
 */
final class Refcounts {
    interface HeaderUpdate {
        void refcountTableMoved(long offset, int clusters);
    }

    /** The image's reaction to damage found in its metadata: marks it corrupt and read-only (QEMU's
     * qcow2_signal_corruption) and gives the exception to throw. */
    interface Corruption {
        ImageCorruptException signal(long offset, String message);
    }

    private final BlockNode file;
    private final String image;
    private final Corruption corruption;
    private final int clusterBits, order;
    private final long entriesPerBlock;
    private final int cacheCapacity;
    private final HeaderUpdate header;
    private long[] table;
    /** The offsets in {@link #table}, for {@link #isRefcountBlock}. */
    private final java.util.Set<Long> blockOffsets = new java.util.HashSet<>();
    private long tableOffset;
    private int tableClusters;
    private long freeHint;
    private long[] pendingFrees = new long[64];
    private int pendingCount;
    /** The block found last, and its index: allocation and frees walk clusters in order (no map lookup, no box). */
    private RefcountBlock lastBlock;
    private long lastIndex = -1;
    private final LinkedHashMap<Long, RefcountBlock> cache = new LinkedHashMap<>(16, 0.75f, true);

    Refcounts(BlockNode file, String image, Qcow2Header h, long cacheBytes, HeaderUpdate header,
            Corruption corruption) {
        this.file = file;
        this.image = image;
        this.corruption = corruption;
        this.clusterBits = h.clusterBits();
        this.order = h.refcountOrder();
        this.entriesPerBlock = (long) h.clusterSize() * 8 >> order;
        this.cacheCapacity = (int) Math.max(4, cacheBytes >> clusterBits);
        this.header = header;
        this.tableOffset = h.refcountTableOffset();
        this.tableClusters = h.refcountTableClusters();
        this.table = readTable(tableOffset, tableClusters);
        indexBlocks();
    }

    /** C's {@code %#x}: "0x" and the digits, except for zero, which is plain "0". */
    private static String alternateHex(long value) {
        return value == 0 ? "0" : "0x" + Long.toHexString(value);
    }

    private long[] readTable(long offset, int clusters) {
        byte[] raw = file.read(offset, clusters << clusterBits);
        ByteBuffer b = ByteBuffer.wrap(raw);
        long[] t = new long[raw.length / 8];
        for (int i = 0; i < t.length; i++) {
            t[i] = b.getLong(i * 8);
            if ((t[i] & 511) != 0) {
                throw new BlockException(image, offset + i * 8L, "Refcount table entry " + i
                        + " has reserved bits set (" + Long.toHexString(t[i]) + ")", null);
            }
        }
        return t;
    }

    /** Forgets caches after {@link MetadataSwitch} put a new refcount table in place (everything flushed). */
    void reload(Qcow2Header h) {
        cache.clear();
        lastIndex = -1;
        lastBlock = null;
        pendingCount = 0;
        freeHint = 0;
        tableOffset = h.refcountTableOffset();
        tableClusters = h.refcountTableClusters();
        table = readTable(tableOffset, tableClusters);
        indexBlocks();
    }

    int refcountOrder() {
        return order;
    }

    int clusterSize() {
        return 1 << clusterBits;
    }

    long entriesPerBlock() {
        return entriesPerBlock;
    }

    long[] table() {
        return table.clone();
    }

    long tableOffset() {
        return tableOffset;
    }

    int tableClusters() {
        return tableClusters;
    }

    long maxRefcount() {
        return RefcountBlock.maxRefcount(order);
    }

    /** Refcount of the cluster with index {@code cluster}; 0 where no block covers it. */
    long get(long cluster) {
        RefcountBlock b = block(cluster / entriesPerBlock, false);
        return b == null ? 0 : b.get((int) (cluster % entriesPerBlock));
    }

    /** How many of the clusters [0, end) have a refcount other than 0, counting no further than {@code limit}. */
    long countReferenced(long end, long limit) {
        long counted = 0;
        for (long i = 0; i < end && counted < limit; i++) {
            counted += get(i) != 0 ? 1 : 0;
        }
        return counted;
    }

    /** Sets a refcount (repair, growth); creates the covering block if needed. */
    void set(long cluster, long value) {
        block(cluster / entriesPerBlock, true, cluster, cluster + 1).set((int) (cluster % entriesPerBlock), value);
    }

    private RefcountBlock block(long index, boolean create) {
        return block(index, create, -1, -1);
    }

    private RefcountBlock block(long index, boolean create, long avoidStart, long avoidEnd) {
        if (index == lastIndex) {
            return lastBlock;
        }
        RefcountBlock b = cache.get(index);
        if (b != null) {
            lastIndex = index;
            lastBlock = b;
            return b;
        }
        if (index >= table.length || table[(int) index] == 0) {
            if (!create) {
                return null;
            }
            if (index >= table.length) {
                growTable(index, avoidStart, avoidEnd);
                return block(index, true, avoidStart, avoidEnd);
            }
            return createBlock(index, avoidStart, avoidEnd);
        }
        long off = table[(int) index];
        if ((off & (clusterSize() - 1)) != 0) {
            // QEMU 7.2's text (qcow2-refcount.c); like it, the image is marked corrupt and no longer written
            throw corruption.signal(off, "Refblock offset " + alternateHex(off) + " unaligned (reftable index: "
                    + alternateHex(index) + ")");
        }
        if (off < 0) { // bit 63 of the entry: past any file (QEMU fails such an access with EIO)
            throw new BlockException(image, tableOffset + index * 8, "Refcount block offset 0x"
                    + Long.toHexString(off) + " past the largest file offset", null);
        }
        b = new RefcountBlock(off, file.read(off, clusterSize()), order);
        put(index, b);
        return b;
    }

    private void put(long index, RefcountBlock b) {
        cache.put(index, b);
        if (cache.size() > cacheCapacity) {
            Iterator<Map.Entry<Long, RefcountBlock>> it = cache.entrySet().iterator();
            Map.Entry<Long, RefcountBlock> eldest = it.next();
            if (eldest.getValue() != b) {
                writeBlock(eldest.getValue()); // increments may reach disk early: at worst a leak
                it.remove();
                if (eldest.getKey() == lastIndex) {
                    lastIndex = -1;
                    lastBlock = null;
                }
            }
        }
    }

    private void writeBlock(RefcountBlock b) {
        if (b.dirty) {
            file.write(b.offset, b.data, 0, b.data.length);
            b.dirty = false;
        }
    }

    /** A new block for an index inside the table, placed in its own range (every cluster there is free). */
    private RefcountBlock createBlock(long index, long avoidStart, long avoidEnd) {
        long first = index * entriesPerBlock, loc = first;
        while (loc >= avoidStart && loc < avoidEnd) {
            loc++;
        }
        RefcountBlock b = new RefcountBlock(loc << clusterBits, new byte[clusterSize()], order);
        b.set((int) (loc - first), 1);
        writeBlock(b);
        file.flush(); // the block must be on disk before the table entry points to it
        table[(int) index] = b.offset;
        blockOffsets.add(b.offset);
        byte[] entry = ByteBuffer.allocate(8).putLong(b.offset).array();
        file.write(tableOffset + index * 8, entry, 0, 8);
        file.flush();
        put(index, b);
        return b;
    }

    /**
     * Replaces the table by a bigger one placed past every cluster the old table could describe, together with
     * the new blocks that describe the new table and themselves, then points the header to it.
     */
    private void growTable(long index, long avoidStart, long avoidEnd) {
        long start = Math.max((long) table.length * entriesPerBlock, Math.max(avoidEnd, 0));
        long entries = Math.max(index + 1, table.length + table.length / 2 + 1);
        int clusters;
        long blocks = 0;
        while (true) {
            clusters = (int) ((entries * 8 + clusterSize() - 1) >> clusterBits);
            long end = start + clusters + blocks;
            long lastBlock = (end - 1) / entriesPerBlock;
            long needed = lastBlock - start / entriesPerBlock + 1;
            long maxIndex = Math.max(index, lastBlock);
            if (needed <= blocks && maxIndex < entries) {
                break;
            }
            blocks = Math.max(blocks, needed);
            entries = Math.max(entries, maxIndex + 1);
        }
        long[] newTable = java.util.Arrays.copyOf(table, (int) ((long) clusters << clusterBits) / 8);
        long blockIndex0 = start / entriesPerBlock;
        List<RefcountBlock> fresh = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            fresh.add(new RefcountBlock((start + clusters + i) << clusterBits, new byte[clusterSize()], order));
            newTable[(int) (blockIndex0 + i)] = (start + clusters + i) << clusterBits;
        }
        for (long c = start; c < start + clusters + blocks; c++) {
            fresh.get((int) (c / entriesPerBlock - blockIndex0)).set((int) (c % entriesPerBlock), 1);
        }
        for (RefcountBlock b : fresh) {
            writeBlock(b);
        }
        ByteBuffer t = ByteBuffer.allocate(clusters << clusterBits);
        for (int i = 0; i < newTable.length; i++) {
            t.putLong(i * 8, newTable[i]);
        }
        file.write(start << clusterBits, t.array(), 0, t.capacity());
        file.flush(); // table and blocks durable before the header points to them
        long oldOffset = tableOffset;
        int oldClusters = tableClusters;
        header.refcountTableMoved(start << clusterBits, clusters);
        file.flush();
        table = newTable;
        indexBlocks();
        tableOffset = start << clusterBits;
        tableClusters = clusters;
        for (int i = 0; i < fresh.size(); i++) {
            put(blockIndex0 + i, fresh.get(i));
        }
        freeLater(oldOffset, (long) oldClusters << clusterBits);
    }

    /** Allocates {@code n} contiguous clusters (refcount 1 each); returns the byte offset of the first. */
    long allocate(int n) {
        if (n < 1 || n > maxRun()) {
            throw new IllegalArgumentException("allocation of " + n + " clusters; at most " + maxRun());
        }
        long start = findFree(n);
        for (long c = start; c < start + n; c++) {
            RefcountBlock b = block(c / entriesPerBlock, true, start, start + n);
            int i = (int) (c % entriesPerBlock);
            if (b.get(i) != 0) {
                throw new BlockException(image, c << clusterBits, "Cluster " + c + " chosen for allocation is in use", null);
            }
            b.set(i, 1);
        }
        freeHint = start + n;
        return start << clusterBits;
    }

    /** Longest run {@link #allocate} accepts: half a refcount block, so a new block always fits beside it. */
    int maxRun() {
        return (int) Math.max(1, Math.min(entriesPerBlock / 2, 1 << 20));
    }

    private long findFree(int n) {
        long run = 0;
        for (long c = freeHint; ; c++) {
            long blockIndex = c / entriesPerBlock;
            if (blockIndex >= table.length || table[(int) blockIndex] == 0) {
                // no block: the whole rest of its range is free
                long take = Math.min(n - run, (blockIndex + 1) * entriesPerBlock - c);
                run += take;
                c += take - 1;
            } else if (get(c) == 0) {
                run++;
            } else {
                run = 0;
            }
            if (run >= n) {
                return c - n + 1;
            }
        }
    }

    /** Adds {@code delta} to a cluster's refcount right away (only for increments). */
    void increment(long cluster, long delta) {
        RefcountBlock b = block(cluster / entriesPerBlock, true, cluster, cluster + 1);
        int i = (int) (cluster % entriesPerBlock);
        long v = b.get(i) + delta;
        if (v > maxRefcount() || v < 0) {
            throw new BlockException(image, cluster << clusterBits, "Refcount overflow for cluster " + cluster
                    + " (refcount_bits " + (1 << order) + ")", null);
        }
        b.set(i, v);
    }

    /** Queues a decrement of every cluster touched by the byte range, applied by {@link #applyFrees}. */
    void freeLater(long offset, long bytes) {
        long first = offset >> clusterBits, last = (offset + bytes - 1) >> clusterBits;
        for (long c = first; c <= last; c++) {
            if (pendingCount == pendingFrees.length) {
                pendingFrees = java.util.Arrays.copyOf(pendingFrees, pendingCount * 2);
            }
            pendingFrees[pendingCount++] = c;
        }
    }

    boolean hasPendingFrees() {
        return pendingCount > 0;
    }

    /** Applies queued decrements and writes the touched blocks. Call after the references are gone on disk. */
    void applyFrees() {
        for (int k = 0; k < pendingCount; k++) {
            long c = pendingFrees[k];
            RefcountBlock b = block(c / entriesPerBlock, false);
            if (b == null) {
                continue;
            }
            int i = (int) (c % entriesPerBlock);
            long v = b.get(i);
            if (v > 0) {
                b.set(i, v - 1);
            }
            freeHint = Math.min(freeHint, c);
        }
        pendingCount = 0;
        writeDirty();
    }

    /** Writes every dirty cached block; true if anything was written. */
    boolean writeDirty() {
        boolean wrote = false;
        for (RefcountBlock b : cache.values()) {
            if (b.dirty) {
                writeBlock(b);
                wrote = true;
            }
        }
        return wrote;
    }

    /** Whether a refcount block lives at {@code offset} (every allocation asks, for each cluster it hands out). */
    boolean isRefcountBlock(long offset) {
        return offset != 0 && blockOffsets.contains(offset);
    }

    private void indexBlocks() {
        blockOffsets.clear();
        for (long e : table) {
            if (e != 0) {
                blockOffsets.add(e);
            }
        }
    }
}
