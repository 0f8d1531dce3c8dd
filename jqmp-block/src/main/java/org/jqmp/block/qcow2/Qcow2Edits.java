package org.jqmp.block.qcow2;

import org.jqmp.block.BlockException;

/**
 * Whole-image edits used by qemu-img's subcommands: changing the backing file (rebase), emptying the image
 * (commit) and writing compressed clusters (convert -c).
 */
public final class Qcow2Edits {
    private Qcow2Edits() {
    }

    /** Points the header at another backing file (null: none). The caller copied data first if needed. */
    public static void changeBacking(Qcow2Image img, String backingFile, String backingFormat) {
        img.metadataLock().lock();
        try {
            if (img.isReadOnly()) {
                throw new BlockException(img.filename(), "Image '" + img.filename() + "' is read-only");
            }
            img.replaceHeader(img.header().withBacking(backingFile, backingFile == null ? null : backingFormat));
        } finally {
            img.metadataLock().unlock();
        }
    }

    /** Makes every cluster unallocated (reads go to the backing file again), freeing the data clusters. */
    public static void makeEmpty(Qcow2Image img) {
        img.metadataLock().lock();
        try {
            img.checkWritable();
            img.awaitAllocations();
            long perTable = img.clusterSize() / 8;
            for (int i = 0; i < img.clusters().l1Length(); i++) {
                if ((img.clusters().l1Entry(i) & Qcow2Image.OFFSET_MASK) == 0) {
                    continue;
                }
                L2Cache.Table t = img.clusters().l2ForWrite(i * perTable);
                for (int j = 0; j < t.length(); j++) {
                    if (t.get(j) != 0) {
                        img.clusters().releaseEntry(t.get(j));
                        t.set(j, 0);
                    }
                }
            }
        } finally {
            img.metadataLock().unlock();
        }
        img.flush();
    }

    /**
     * Writes one whole guest cluster compressed (QEMU's convert -c), packing compressed data back to back in
     * host clusters; a host cluster shared by several compressed clusters has one reference per user. Falls
     * back to a normal write when the data does not shrink. Only for clusters not yet allocated.
     */
    public static void writeCompressed(Qcow2Image img, long guestOffset, byte[] cluster, Cursor cursor) {
        int cs = img.clusterSize(), cb = img.clusterBits();
        byte[] packed = Compression.deflate(cluster);
        if (packed == null) {
            img.write(guestOffset, cluster, 0, cs);
            return;
        }
        img.metadataLock().lock();
        try {
            img.checkWritable();
            long vc = guestOffset >>> cb;
            img.awaitAllocations();
            long host;
            boolean fits = cursor.next != 0 && (cursor.next & (cs - 1)) + packed.length <= cs
                    && (cursor.next & (cs - 1)) != 0;
            // a host cluster whose refcount is at refcount_bits' maximum takes no more users (qemu-img then
            // starts a new one too: with refcount_bits=1 every compressed cluster gets a host cluster of its own)
            if (fits && img.refcounts().get(cursor.next >>> cb) < img.refcounts().maxRefcount()) {
                host = cursor.next;
                img.refcounts().increment(host >>> cb, 1);
            } else {
                int clusters = (packed.length + cs - 1) / cs;
                host = img.allocateClusters(clusters);
            }
            img.fileNode().write(host, packed, 0, packed.length);
            cursor.next = host + packed.length;
            L2Cache.Table t = img.clusters().l2ForWrite(vc);
            int i = img.clusters().l2Index(vc);
            img.clusters().releaseEntry(t.get(i));
            t.set(i, Compression.descriptor(host, packed.length, cb));
        } finally {
            img.metadataLock().unlock();
        }
    }

    /** Where the next compressed cluster may go (inside the partly used host cluster). */
    public static final class Cursor {
        long next;
    }
}
