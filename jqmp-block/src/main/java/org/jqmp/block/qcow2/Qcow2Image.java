package org.jqmp.block.qcow2;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockLimits;
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;
import org.jqmp.block.ImageCorruptException;

/**
 * QEMU's {@code qcow2} format driver (qcow2 spec, docs/interop/qcow2.txt), versions 2 and 3.
 *
 * <p>Concurrency: one metadata lock guards L1, the L2 cache and refcounts. Reads, and writes to clusters the
 * image owns alone (COPIED), look their mapping up under it and do the data I/O outside it, under the read
 * side of an I/O gate; freeing clusters takes the write side, so no in-flight I/O can hit a cluster that is
 * being handed out again. Allocating writes run entirely under the metadata lock.
 *
 * <p>Crash safety: see {@link #flush()} for the order in which metadata reaches the disk.
 *
 * <p>Parts: {@link ClusterMap} (L1/L2 tables), {@link Refcounts}, {@link ClusterAllocator}, {@link HeaderUpdates}
 * (in-place header changes), {@link Qcow2Allocation} (allocating writes, copy-on-write), {@link Qcow2Resize}; this
 * class is the block node on top of them: locking, the read and write paths, flush ordering.
 */
public final class Qcow2Image implements BlockNode {
    /** Opens the backing file an image names (file name as stored, format from the header or null). */
    @FunctionalInterface
    public interface BackingOpener {
        BlockNode open(String backingFile, String backingFormat);
    }

    static final long OFFSET_MASK = 0x00fffffffffffe00L; // qcow2 spec: L1/L2 entry bits 9-55
    static final long COPIED = 1L << 63, COMPRESSED = 1L << 62, ZERO_FLAG = 1;

    private final BlockNode file;
    private final String name;
    private final int cb, cs;
    private final ReentrantLock meta = new ReentrantLock();
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private final HeaderUpdates header;
    private final Refcounts refcounts;
    private final ClusterMap clusters;
    private final ClusterAllocator allocator;
    /** Computed once, on first block status, as QEMU does. */
    private volatile Boolean metadataPreallocated;
    private final BlockNode backing;
    private volatile boolean readOnly;
    private boolean closed;

    private Qcow2Image(BlockNode file, Qcow2Header h, boolean readOnly, BlockLimits limits,
                       BackingOpener backingOpener) {
        this.file = file;
        this.name = file.filename();
        this.header = new HeaderUpdates(file, h);
        this.cb = h.clusterBits();
        this.cs = h.clusterSize();
        this.readOnly = readOnly;
        this.refcounts = new Refcounts(file, name, h, limits.refcountCacheBytes(), header::refcountTableMoved);
        this.clusters = new ClusterMap(this, file, h, refcounts, limits.l2CacheBytes(), this::flushMetadata);
        this.allocator = new ClusterAllocator(this, header, refcounts, clusters);
        BlockNode b = null;
        if (h.backingFile() != null && backingOpener != null) {
            b = backingOpener.open(h.backingFile(), h.backingFormat());
        }
        this.backing = b;
    }

    /**
     * Opens a qcow2 image on {@code file}. {@code backingOpener} opens the backing file named in the header
     * (null: do not open it, reads of unallocated clusters give zeroes).
     */
    public static Qcow2Image open(BlockNode file, boolean readOnly, BlockLimits limits,
                                  BackingOpener backingOpener) {
        Qcow2Header h = readHeader(file, limits);
        if (h.corrupt() && !readOnly) {
            throw new BlockException(file.filename(), "qcow2: Image is corrupt; cannot be opened read/write");
        }
        Qcow2Image img = new Qcow2Image(file, h, readOnly, limits, backingOpener);
        if (!readOnly) {
            img.prepareForWriting();
        }
        return img;
    }

    static Qcow2Header readHeader(BlockNode file, BlockLimits limits) {
        long fileSize = file.size();
        byte[] head = file.read(0, (int) Math.min(Math.max(fileSize, 512), 4096));
        Qcow2Header probe = Qcow2Header.parse(file.filename(), head, fileSize, limits);
        if (probe.clusterSize() > head.length) {
            head = file.read(0, probe.clusterSize());
            probe = Qcow2Header.parse(file.filename(), head, fileSize, limits);
        }
        return probe;
    }

    /** Dirty image: rebuild refcounts (QEMU repairs on open); clear autoclear bits jqmp does not maintain. */
    private void prepareForWriting() {
        if (header.current().dirty()) {
            Qcow2Check.run(this, Qcow2Check.Repair.ALL, null);
            header.clearDirty();
        }
        header.clearAutoclear();
    }

    // ---- accessors used by check, info, map, snapshot listing

    Qcow2Header header() {
        return header.current();
    }

    BlockNode fileNode() {
        return file;
    }

    Refcounts refcounts() {
        return refcounts;
    }

    ClusterMap clusters() {
        return clusters;
    }

    HeaderUpdates headerUpdates() {
        return header;
    }

    ReentrantLock metadataLock() {
        return meta;
    }

    public int clusterSize() {
        return cs;
    }

    public int version() {
        return header().version();
    }

    public boolean lazyRefcounts() {
        return header().lazyRefcounts();
    }

    public int refcountBits() {
        return header().refcountBits();
    }

    public boolean isCorrupt() {
        return header().corrupt();
    }

    public boolean isDirty() {
        return header().dirty();
    }

    public String backingFilename() {
        return header().backingFile();
    }

    public String backingFormat() {
        return header().backingFormat();
    }

    public int snapshotCount() {
        return header().nbSnapshots();
    }

    @Override
    public String filename() {
        return name;
    }

    @Override
    public String driverName() {
        return "qcow2";
    }

    @Override
    public long size() {
        return header().size();
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public Optional<BlockNode> backing() {
        return Optional.ofNullable(backing);
    }

    @Override
    public Optional<BlockNode> file() {
        return Optional.of(file);
    }

    @Override
    public long allocatedSize() {
        return file.allocatedSize();
    }

    // ---- mapping

    private void checkRange(long offset, long len) {
        if (offset < 0 || len < 0 || offset + len > header().size()) {
            throw new BlockException(name, offset, "Request [" + offset + ", +" + len + ") is outside the image of "
                    + header().size() + " bytes", null);
        }
    }

    @Override
    public Extent status(long offset, long length) {
        meta.lock();
        try {
            long len = Math.min(length, header().size() - offset);
            ClusterRun r = clusters.mapRun(offset, len);
            return switch (r.kind()) {
                case DATA -> new Extent(offset, r.length(), Extent.State.DATA, r.host(), false);
                // qcow2 spec "zero flag": a zero cluster may keep its host cluster (QEMU reports that offset)
                case ZERO -> new Extent(offset, r.length(), Extent.State.ZERO,
                        r.host() == 0 ? -1 : r.host() + (offset & (cs - 1)), false);
                case UNALLOCATED -> new Extent(offset, r.length(), Extent.State.UNALLOCATED, -1, false);
                case COMPRESSED -> new Extent(offset, r.length(), Extent.State.DATA, -1, true);
            };
        } finally {
            meta.unlock();
        }
    }

    /**
     * QEMU's test for metadata preallocation: many more clusters carry a refcount than the file occupies on
     * disk (at least max(n * 10 / 9, n + 2) of them, n being the occupied clusters). For such images block status
     * also asks the file where its holes are, so preallocated clusters that were never written read as zero.
     */
    public boolean metadataPreallocated() {
        Boolean known = metadataPreallocated;
        if (known != null) {
            return known;
        }
        meta.lock();
        try {
            long occupied = file.allocatedSize() / cs;
            long threshold = Math.max(occupied * 10 / 9, occupied + 2);
            metadataPreallocated = refcounts.countReferenced((file.size() + cs - 1) / cs, threshold) >= threshold;
            return metadataPreallocated;
        } finally {
            meta.unlock();
        }
    }

    // ---- read

    @Override
    public void read(long offset, byte[] buf, int off, int len) {
        checkRange(offset, len);
        while (len > 0) {
            ClusterRun r;
            meta.lock();
            try {
                r = clusters.mapRun(offset, len);
                gate.readLock().lock();
            } finally {
                meta.unlock();
            }
            try {
                readRun(r, offset, buf, off, (int) r.length());
            } finally {
                gate.readLock().unlock();
            }
            offset += r.length();
            off += (int) r.length();
            len -= (int) r.length();
        }
    }

    private void readRun(ClusterRun r, long offset, byte[] buf, int off, int len) {
        switch (r.kind()) {
            case DATA -> file.read(r.host(), buf, off, len);
            case ZERO -> Arrays.fill(buf, off, off + len, (byte) 0);
            case UNALLOCATED -> readBacking(offset, buf, off, len);
            case COMPRESSED -> {
                byte[] cluster = Compression.readCluster(file, r.entry(), cb, cs);
                System.arraycopy(cluster, (int) (offset & (cs - 1)), buf, off, len);
            }
        }
    }

    private void readBacking(long offset, byte[] buf, int off, int len) {
        long inBacking = backing == null ? 0 : Math.max(0, Math.min(len, backing.size() - offset));
        if (inBacking > 0) {
            backing.read(offset, buf, off, (int) inBacking);
        }
        Arrays.fill(buf, off + (int) inBacking, off + len, (byte) 0);
    }

    /** Reads guest bytes while holding the metadata lock (copy-on-write sources). */
    void readGuestLocked(long offset, byte[] buf, int off, int len) {
        while (len > 0) {
            ClusterRun r = clusters.mapRun(offset, len);
            readRun(r, offset, buf, off, (int) r.length());
            offset += r.length();
            off += (int) r.length();
            len -= (int) r.length();
        }
    }

    // ---- write

    @Override
    public void write(long offset, byte[] buf, int off, int len) {
        checkWritable();
        checkRange(offset, len);
        while (len > 0) {
            int n = writeStep(offset, buf, off, len);
            offset += n;
            off += n;
            len -= n;
        }
    }

    private int writeStep(long offset, byte[] buf, int off, int len) {
        meta.lock();
        boolean locked = true;
        try {
            checkWritable();
            ClusterRun r = clusters.mapRun(offset, len);
            if (r.kind() == ClusterRun.Kind.DATA && r.copied()) {
                gate.readLock().lock();
                meta.unlock();
                locked = false;
                try {
                    file.write(r.host(), buf, off, (int) r.length());
                } finally {
                    gate.readLock().unlock();
                }
                return (int) r.length();
            }
            return new Qcow2Allocation(this, offset, buf, off, len, r).write();
        } finally {
            if (locked) {
                meta.unlock();
            }
        }
    }

    // ---- services for Qcow2Allocation, Qcow2Check (all under the metadata lock)

    int clusterBits() {
        return cb;
    }

    boolean readsAsZero(long offset, ClusterRun r) {
        return r.kind() == ClusterRun.Kind.ZERO
                || r.kind() == ClusterRun.Kind.UNALLOCATED && (backing == null || offset >= backing.size());
    }

    boolean hasBacking() {
        return backing != null || header().backingFile() != null;
    }

    /** Allocates clusters for data or metadata (see {@link ClusterAllocator}). */
    long allocateClusters(int n) {
        return allocator.allocate(n);
    }

    /** Rewrites the whole header cluster (backing file change); flushed before and after. */
    void replaceHeader(Qcow2Header h) {
        flushMetadata();
        header.replace(h);
    }

    ImageCorruptException corruption(long offset, String message) {
        if (!readOnly && header().version() == 3) {
            try {
                header.markCorrupt();
            } catch (RuntimeException ignored) {
                // the image is read-only from here on whether the bit reached the disk or not
            }
        }
        boolean wasWritable = !readOnly;
        readOnly = true;
        return new ImageCorruptException(name, offset, wasWritable
                ? "qcow2: Marking image as corrupt: " + message + "; further corruption events will be suppressed"
                : "qcow2: Image is corrupt: " + message);
    }

    void checkWritable() {
        if (readOnly) {
            throw new BlockException(name, "Image '" + name + "' is read-only");
        }
        if (header().nbSnapshots() > 0) {
            throw new BlockException(name, "jqmp cannot write to qcow2 images with internal snapshots yet ('"
                    + name + "' has " + header().nbSnapshots() + ")");
        }
    }

    // ---- zeroes, discard, resize

    @Override
    public void writeZeroes(long offset, long length) {
        checkWritable();
        checkRange(offset, length);
        while (length > 0) {
            int n = (int) Math.min(length, cs - (offset & (cs - 1)));
            meta.lock();
            try {
                checkWritable();
                new Qcow2Allocation(this, offset, null, 0, n, clusters.mapRun(offset, n)).zero();
            } finally {
                meta.unlock();
            }
            offset += n;
            length -= n;
        }
    }

    @Override
    public void discard(long offset, long length) {
        checkWritable();
        checkRange(offset, length);
        long first = (offset + cs - 1) >>> cb, end = (offset + length) >>> cb;
        if (offset + length == header().size()) {
            end = (header().size() + cs - 1) >>> cb; // the partial last cluster belongs to the image alone
        }
        meta.lock();
        try {
            clusters.discard(first, end);
        } finally {
            meta.unlock();
        }
    }

    @Override
    public void resize(long newSize) {
        checkWritable();
        Qcow2Resize.resize(this, newSize);
    }

    // ---- flush and close

    /**
     * Makes everything written so far durable. Order (each step synced before the next, so that a crash at any
     * moment leaves references only to clusters whose refcount and content are already on disk - qcow2 spec:
     * refcount never below the number of references; QEMU's cache dependencies do the same):
     * <ol>
     * <li>data: written to the file by the request itself, before any metadata naming it;</li>
     * <li>refcount blocks with new allocations (skipped sync with lazy_refcounts: the dirty bit covers it);</li>
     * <li>L2 tables, which may now name the new clusters;</li>
     * <li>L1 entries, which may now name the new L2 tables;</li>
     * <li>refcount decrements of freed clusters, only now that no table on disk names them.</li>
     * </ol>
     */
    @Override
    public void flush() {
        meta.lock();
        try {
            flushMetadata();
        } finally {
            meta.unlock();
        }
    }

    /** {@link #flush()} with the metadata lock already held. */
    void flushMetadata() {
        if (readOnly) {
            return;
        }
        if (refcounts.writeDirty() && !header().lazyRefcounts()) {
            file.flush();
        }
        if (clusters.writeDirtyL2()) {
            file.flush();
        }
        if (clusters.writeDirtyL1(header.current().l1TableOffset())) {
            file.flush();
        }
        if (refcounts.hasPendingFrees()) {
            gate.writeLock().lock();
            try {
                refcounts.applyFrees();
            } finally {
                gate.writeLock().unlock();
            }
        }
        file.flush();
    }

    @Override
    public void close() {
        meta.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (!readOnly) {
                    flushMetadata();
                    header.clearDirtyIfMarked();
                }
            } finally {
                if (backing != null) {
                    backing.close();
                }
                file.close();
            }
        } finally {
            meta.unlock();
        }
    }
}
