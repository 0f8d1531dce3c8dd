package org.jqmp.block.qcow2;

import java.nio.ByteBuffer;
import org.jqmp.block.BlockLimits;
import org.jqmp.block.BlockNode;

/**
 * The header of an open image and the in-place updates jqmp makes to it (qcow2 spec "Header"): feature bits,
 * the refcount table and L1 table locations, the size, and the whole header for a backing file change. Each
 * update is synced before it returns, so that later metadata may rely on it. Runs under the metadata lock.
 */
final class HeaderUpdates {
    private final BlockNode file;
    private final String name;
    private Qcow2Header header;
    private boolean dirtyMarked;

    HeaderUpdates(BlockNode file, Qcow2Header header) {
        this.file = file;
        this.name = file.filename();
        this.header = header;
    }

    Qcow2Header current() {
        return header;
    }

    void setIncompatible(long bits) {
        header = header.withIncompatible(bits);
        write(Qcow2Header.OFF_INCOMPAT, ByteBuffer.allocate(8).putLong(0, bits).array());
    }

    /** A repaired dirty image is clean again. */
    void clearDirty() {
        setIncompatible(header.incompatibleFeatures() & ~Qcow2Header.INCOMPAT_DIRTY);
    }

    /** Autoclear features name data jqmp does not maintain (bitmaps, ...): they must be cleared before writing. */
    void clearAutoclear() {
        if (header.version() == 3 && header.autoclearFeatures() != 0) {
            header = header.withAutoclear(0);
            write(Qcow2Header.OFF_AUTOCLEAR, ByteBuffer.allocate(8).array());
        }
    }

    /** lazy_refcounts: the dirty bit goes on before the first allocation whose refcount may not reach the disk. */
    void markDirtyForLazyRefcounts() {
        if (header.lazyRefcounts() && !dirtyMarked) {
            setIncompatible(header.incompatibleFeatures() | Qcow2Header.INCOMPAT_DIRTY);
            dirtyMarked = true;
        }
    }

    /** On close, after every refcount is on disk. */
    void clearDirtyIfMarked() {
        if (dirtyMarked) {
            clearDirty();
        }
    }

    void markCorrupt() {
        setIncompatible(header.incompatibleFeatures() | Qcow2Header.INCOMPAT_CORRUPT);
    }

    void refcountTableMoved(long offset, int clusters) {
        header = header.withRefcountTable(offset, clusters);
        write(Qcow2Header.OFF_REFCOUNT_TABLE, ByteBuffer.allocate(12).putLong(offset).putInt(clusters).array());
    }

    void setSize(long size) {
        header = header.withL1(size, header.l1Size(), header.l1TableOffset());
        write(Qcow2Header.OFF_SIZE, ByteBuffer.allocate(8).putLong(size).array());
    }

    /** Size, L1 size and L1 offset are adjacent in the header: one write moves to a new L1 table. */
    void setSizeAndL1(long size, int l1Entries, long l1Offset) {
        header = header.withL1(size, l1Entries, l1Offset);
        write(Qcow2Header.OFF_SIZE, ByteBuffer.allocate(24).putLong(size).putInt(0).putInt(l1Entries)
                .putLong(l1Offset).array());
    }

    /**
     * Points the header to a new generation of metadata (size, L1 table, refcount table, snapshot table) with
     * one write of bytes 24 to 71: they share a sector, so a crash leaves either the old or the new generation.
     */
    void switchMetadata(Qcow2Header h) {
        byte[] b = h.encode();
        file.write(OFF_SWITCH, b, OFF_SWITCH, SWITCH_BYTES);
        file.flush();
        header = h;
    }

    private static final int OFF_SWITCH = Qcow2Header.OFF_SIZE, SWITCH_BYTES = Qcow2Header.V2_LENGTH - OFF_SWITCH;

    /** A header that lives in memory only (a read-only view of a snapshot): nothing is written. */
    void useInMemory(Qcow2Header h) {
        header = h;
    }

    /** Rewrites the whole header cluster (backing file change). */
    void replace(Qcow2Header h) {
        byte[] b = h.encode();
        Qcow2Header written = Qcow2Header.parse(name, b, file.size(), BlockLimits.DEFAULT);
        file.write(0, b, 0, b.length);
        file.flush();
        header = written;
    }

    private void write(int offset, byte[] bytes) {
        file.write(offset, bytes, 0, bytes.length);
        file.flush();
    }
}
