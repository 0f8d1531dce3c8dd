package org.jqmp.block.qcow2;

import org.jqmp.block.BlockException;
import org.jqmp.block.BlockNode;

/**
 * Changing the virtual size of a qcow2 image (qcow2 spec "Header": size, l1_size, l1_table_offset). Shrinking
 * first discards the clusters past the new end. Growing past what the L1 table covers writes a bigger table at
 * a new place and syncs it before the header points to it; the old table is freed only after that.
 */
final class Qcow2Resize {
    /** QEMU's limit on a qcow2 image's virtual size (QCOW_MAX_... in its driver: 2^55 bytes, 32 PiB). */
    private static final long MAX_SIZE = 1L << 55;

    private Qcow2Resize() {
    }

    static void resize(Qcow2Image img, long newSize) {
        if (newSize < 0 || newSize > MAX_SIZE) {
            throw new BlockException(img.filename(), "Invalid image size " + newSize);
        }
        var meta = img.metadataLock();
        meta.lock();
        try {
            long size = img.header().size();
            if (newSize < size) {
                meta.unlock();
                try {
                    img.discard(newSize, size - newSize);
                } finally {
                    meta.lock();
                }
            }
            img.awaitAllocations();
            img.flushMetadata();
            long needed = img.clusters().l1EntriesFor(newSize);
            if (needed > img.clusters().l1Length()) {
                growL1(img, (int) needed, newSize);
            } else {
                img.headerUpdates().setSize(newSize);
            }
        } finally {
            meta.unlock();
        }
    }

    private static void growL1(Qcow2Image img, int entries, long newSize) {
        int cb = img.clusterBits();
        int tableClusters = (int) (((long) entries * 8 + img.clusterSize() - 1) >>> cb);
        Refcounts refcounts = img.refcounts();
        if (tableClusters > refcounts.maxRun()) {
            throw new BlockException(img.filename(), "L1 table of " + entries + " entries is too large to allocate at once");
        }
        long fresh = img.allocateClusters(tableClusters);
        byte[] table = img.clusters().grownL1(entries, tableClusters);
        refcounts.writeDirty();
        BlockNode file = img.fileNode();
        // only the entries, as QEMU writes them: a new image then ends right after its L1 table (qemu-img's size)
        file.write(fresh, table, 0, entries * 8);
        file.flush();
        long oldOffset = img.header().l1TableOffset();
        int oldSize = img.header().l1Size();
        img.headerUpdates().setSizeAndL1(newSize, entries, fresh);
        img.clusters().useGrownL1(entries);
        if (oldSize > 0) {
            refcounts.freeLater(oldOffset, (long) oldSize * 8);
        }
        img.flushMetadata();
    }
}
