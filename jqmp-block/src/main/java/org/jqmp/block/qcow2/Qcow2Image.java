package org.jqmp.block.qcow2;

import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockLimits;
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;
import org.jqmp.block.ImageCorruptException;
import org.jqmp.block.NativeBuffers;

/**
 * QEMU's {@code qcow2} format driver (qcow2 spec, docs/interop/qcow2.txt), versions 2 and 3.
 *
 * <p>Concurrency: one metadata lock guards every change to L1, the L2 cache and refcounts; the request paths
 * ({@link Qcow2Requests}) map through the cached tables without it and do their data I/O outside it, and freed
 * clusters are handed back only while no request I/O is in flight.
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
    private final InFlightAllocations inFlight = new InFlightAllocations(meta);
    private final HeaderUpdates header;
    private final Refcounts refcounts;
    private final ClusterMap clusters;
    private final ClusterAllocator allocator;
    private final Qcow2Requests requests;
    /** Computed once, on first block status, as QEMU does. */
    private volatile Boolean metadataPreallocated;
    /** Set at open, or once later by {@link #attachBacking} (an overlay opened without its backing). */
    private volatile BlockNode backing;
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
        this.refcounts = new Refcounts(file, name, h, limits.refcountCacheBytes(), header::refcountTableMoved,
                this::corruption);
        this.clusters = new ClusterMap(this, file, h, refcounts, limits.l2CacheBytes(), this::flushMetadata);
        this.allocator = new ClusterAllocator(this, header, refcounts, clusters);
        this.requests = new Qcow2Requests(this, file, meta, clusters, inFlight);
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

    /** Waits (metadata lock held) until no allocating write is in flight: for whole-image changes. */
    void awaitAllocations() {
        inFlight.awaitNone(0, Long.MAX_VALUE);
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

    /**
     * Puts {@code node} below an image opened without a backing node ({@code backing: null}), as QEMU's
     * {@code bdrv_append} does for {@code blockdev-snapshot}; the header is left as it is. Unallocated clusters
     * read from {@code node} from then on.
     *
     * @throws BlockException when the image already has a backing node
     */
    public void attachBacking(BlockNode node) {
        meta.lock();
        try {
            if (backing != null) {
                throw new BlockException(name, "The overlay already has a backing image");
            }
            backing = node;
        } finally {
            meta.unlock();
        }
    }

    /**
     * Reads unallocated clusters from {@code node} (or zeroes when null) from now on, as QEMU's stream job does
     * when it drops the layers it copied; the old backing node stays open (its owner closes it). The caller
     * points the header at the new backing file ({@link Qcow2Edits#changeBacking}).
     */
    public void replaceBacking(BlockNode node) {
        meta.lock();
        try {
            backing = node;
        } finally {
            meta.unlock();
        }
    }


    /**
     * QEMU's {@code bdrv_reopen} of the format node in the other mode, once its file node was reopened (a commit
     * job writes into its read-only base): going writable checks and prepares the image as an open for writing
     * does; going read-only first writes every cached table and clears the dirty bit, as a close does.
     *
     * @throws BlockException when the file below is still read-only, or the image is corrupt
     */
    public void reopen(boolean readOnly) {
        meta.lock();
        try {
            if (readOnly && !this.readOnly) {
                inFlight.awaitNone(0, Long.MAX_VALUE);
                flushMetadata();
                header.clearDirtyIfMarked();
                this.readOnly = true;
            } else if (!readOnly && this.readOnly) {
                if (file.isReadOnly()) {
                    throw new BlockException(name, "Image '" + name + "' is read-only");
                }
                if (header().corrupt()) {
                    throw new BlockException(name, "qcow2: Image is corrupt; cannot be opened read/write");
                }
                this.readOnly = false;
                prepareForWriting();
            }
        } finally {
            meta.unlock();
        }
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
    public void read(long offset, MemorySegment dst) {
        checkRange(offset, dst.byteSize());
        requests.read(offset, dst);
    }

    /** Guest bytes of an unallocated run: the backing file's, zeroes past its end or without one. */
    void readBacking(long offset, MemorySegment dst) {
        BlockNode b = backing;
        long inBacking = b == null ? 0 : Math.max(0, Math.min(dst.byteSize(), b.size() - offset));
        if (inBacking > 0) {
            b.read(offset, dst.asSlice(0, inBacking));
        }
        dst.asSlice(inBacking).fill((byte) 0);
    }

    /** The start of the (data or compressed) cluster an L2 entry names, for copy-on-write. */
    void readOldCluster(ClusterRun r, MemorySegment dst) {
        if (r.kind() == ClusterRun.Kind.COMPRESSED) {
            byte[] cluster = Compression.readCluster(file, r.entry(), cb, cs);
            MemorySegment.copy(MemorySegment.ofArray(cluster), 0, dst, 0, dst.byteSize());
        } else {
            file.read(r.entry() & OFFSET_MASK, dst);
        }
    }

    // ---- write

    @Override
    public void write(long offset, MemorySegment src) {
        checkWritable();
        checkRange(offset, src.byteSize());
        requests.write(offset, src);
    }

    // ---- services for Qcow2Allocation, Qcow2Check (under the metadata lock unless said otherwise)

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
    }

    /** Runs {@code action} (metadata lock held) while no request does I/O: for whole-image metadata changes. */
    void whileNoRequestIo(Runnable action) {
        requests.whileNoRequestIo(action);
    }

    /** Drops every cached table after the metadata moved ({@link MetadataSwitch}); everything was flushed. */
    void reloadMetadata() {
        refcounts.reload(header());
        clusters.reload(header());
        metadataPreallocated = null;
    }

    // ---- zeroes, discard, resize

    @Override
    public void writeZeroes(long offset, long length) {
        checkWritable();
        checkRange(offset, length);
        while (length > 0) {
            int n = (int) Math.min(length, cs - (offset & (cs - 1)));
            boolean writeBytes;
            meta.lock();
            try {
                checkWritable();
                inFlight.awaitNone(offset >>> cb, (offset >>> cb) + 1);
                writeBytes = zeroInMetadata(offset, n, clusters.mapRun(offset, n));
            } finally {
                meta.unlock();
            }
            if (writeBytes) {
                write(offset, NativeBuffers.zeroes(n));
            }
            offset += n;
            length -= n;
        }
    }

    /**
     * Write-zeroes within one cluster, where the metadata can say it: false when done (it reads as zeroes already,
     * or became a zero cluster, qcow2 v3), true when zero bytes must be written.
     */
    private boolean zeroInMetadata(long offset, int len, ClusterRun run) {
        boolean whole = (offset & (cs - 1)) == 0 && (len == cs || offset + len == size());
        boolean v3 = version() == 3;
        boolean zeroAlready = readsAsZero(offset, run)
                && (run.kind() == ClusterRun.Kind.ZERO || !hasBacking() || !v3 && whole);
        // QEMU 7.2 makes a whole unallocated cluster a zero cluster (v3) even where it reads as zeroes already
        if (zeroAlready && !(v3 && whole && run.kind() == ClusterRun.Kind.UNALLOCATED)) {
            return false;
        }
        if (!whole || !v3) {
            return true;
        }
        long vc = offset >>> cb;
        L2Cache.Table t = clusters.l2ForWrite(vc);
        int i = clusters.l2Index(vc);
        long old = t.get(i);
        boolean keepHost = run.kind() == ClusterRun.Kind.DATA && run.copied()
                || run.kind() == ClusterRun.Kind.ZERO && run.copied() && run.host() != 0;
        t.set(i, keepHost ? (old & OFFSET_MASK) | COPIED | ZERO_FLAG : ZERO_FLAG);
        if (!keepHost) {
            clusters.releaseEntry(old);
        }
        return false;
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
            inFlight.awaitNone(first, end);
            clusters.discard(first, end);
        } finally {
            meta.unlock();
        }
    }

    @Override
    public void resize(long newSize) {
        checkWritable();
        if (version() == 2 && snapshotCount() > 0) {
            throw new BlockException(name, "Can't resize a v2 image which has snapshots");
        }
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
            requests.whileNoRequestIo(refcounts::applyFrees);
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
            inFlight.awaitNone(0, Long.MAX_VALUE);
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
