package org.jqmp.block.qcow2;

/**
 * Hands out host clusters for data and metadata. Under lazy_refcounts the image is marked dirty before the
 * first allocation (its refcounts may not reach the disk). A cluster the refcounts call free but that live
 * metadata uses (header, L1, refcount table or block, an L2 table) means the image is corrupt: it is refused and
 * the image marked corrupt, as QEMU does ("Preventing invalid allocation"). Runs under the metadata lock.
 */
final class ClusterAllocator {
    private final Qcow2Image image;
    private final HeaderUpdates header;
    private final Refcounts refcounts;
    private final ClusterMap clusters;
    private final int cb, cs;

    ClusterAllocator(Qcow2Image image, HeaderUpdates header, Refcounts refcounts, ClusterMap clusters) {
        this.image = image;
        this.header = header;
        this.refcounts = refcounts;
        this.clusters = clusters;
        this.cb = header.current().clusterBits();
        this.cs = header.current().clusterSize();
    }

    /** The host offset of {@code n} contiguous fresh clusters. */
    long allocate(int n) {
        header.markDirtyForLazyRefcounts();
        long host = refcounts.allocate(n);
        for (long c = host; c < host + ((long) n << cb); c += cs) {
            if (overlapsMetadata(c)) {
                throw image.corruption(c, "Preventing invalid allocation of cluster at offset 0x"
                        + Long.toHexString(c) + ": it overlaps metadata (refcount 0 on live metadata)");
            }
        }
        return host;
    }

    private boolean overlapsMetadata(long c) {
        Qcow2Header h = header.current();
        return c == 0 || within(c, h.l1TableOffset(), (long) h.l1Size() * 8)
                || within(c, refcounts.tableOffset(), (long) refcounts.tableClusters() << cb)
                || clusters.isL2Table(c) || refcounts.isRefcountBlock(c);
    }

    private boolean within(long c, long start, long bytes) {
        return bytes > 0 && c + cs > start && c < start + bytes;
    }
}
