package org.jqmp.block.qcow2;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
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
    private final int cb, cs, l2Bits;
    private final ReentrantLock meta = new ReentrantLock();
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private final L2Cache l2;
    private final Refcounts refcounts;
    /** Computed once, on first block status, as QEMU does. */
    private volatile Boolean metadataPreallocated;
    private final Set<Long> l2Offsets = new HashSet<>();
    private final BlockNode backing;
    private Qcow2Header header;
    private long[] l1;
    private final BitSet l1Dirty = new BitSet();
    private volatile boolean readOnly;
    private boolean dirtyMarked;
    private boolean closed;

    private Qcow2Image(BlockNode file, Qcow2Header h, boolean readOnly, BlockLimits limits,
                       BackingOpener backingOpener) {
        this.file = file;
        this.name = file.filename();
        this.header = h;
        this.cb = h.clusterBits();
        this.cs = h.clusterSize();
        this.l2Bits = cb - 3;
        this.readOnly = readOnly;
        this.l1 = readL1(h);
        this.l2 = new L2Cache((int) (limits.l2CacheBytes() >> cb), this::flushMetadata);
        this.refcounts = new Refcounts(file, name, h, limits.refcountCacheBytes(), this::refcountTableMoved);
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

    /** Dirty image: rebuild refcounts (QEMU repairs on open); clear autoclear bits jqmp does not maintain. */
    private void prepareForWriting() {
        if (header.dirty()) {
            Qcow2Check.run(this, Qcow2Check.Repair.ALL, null);
            setIncompatible(header.incompatibleFeatures() & ~Qcow2Header.INCOMPAT_DIRTY);
        }
        if (header.version() == 3 && header.autoclearFeatures() != 0) {
            header = header.withAutoclear(0);
            writeHeaderBytes(Qcow2Header.OFF_AUTOCLEAR, ByteBuffer.allocate(8).array());
        }
    }

    // ---- accessors used by check, info, map, snapshot listing

    Qcow2Header header() {
        return header;
    }

    BlockNode fileNode() {
        return file;
    }

    Refcounts refcounts() {
        return refcounts;
    }

    long[] l1Table() {
        return l1.clone();
    }

    ReentrantLock metadataLock() {
        return meta;
    }

    public int clusterSize() {
        return cs;
    }

    public int version() {
        return header.version();
    }

    public boolean lazyRefcounts() {
        return header.lazyRefcounts();
    }

    public int refcountBits() {
        return header.refcountBits();
    }

    public boolean isCorrupt() {
        return header.corrupt();
    }

    public boolean isDirty() {
        return header.dirty();
    }

    public String backingFilename() {
        return header.backingFile();
    }

    public String backingFormat() {
        return header.backingFormat();
    }

    public int snapshotCount() {
        return header.nbSnapshots();
    }

    /** Raw L2 table of an offset taken from L1 (read through the cache). */
    long[] l2Table(long offset) {
        return l2.get(offset, this::loadL2).entries.clone();
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
        return header.size();
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

    private long[] loadL2(long offset) {
        if ((offset & (cs - 1)) != 0 || offset >= file.size()) {
            throw corruption(offset, "L2 table offset 0x" + Long.toHexString(offset) + " unaligned or past the end of the file");
        }
        ByteBuffer b = ByteBuffer.wrap(file.read(offset, cs));
        long[] t = new long[cs / 8];
        for (int i = 0; i < t.length; i++) {
            t[i] = b.getLong(i * 8);
        }
        return t;
    }

    /** The L2 entry of guest cluster {@code vc}, 0 when its L2 table is not allocated. Under the lock. */
    private long entry(long vc) {
        int l1Index = (int) (vc >>> l2Bits);
        if (l1Index >= l1.length) {
            return 0;
        }
        long l2Offset = l1[l1Index] & OFFSET_MASK;
        if (l2Offset == 0) {
            return 0;
        }
        return l2.get(l2Offset, this::loadL2).entries[(int) (vc & ((1L << l2Bits) - 1))];
    }

    private ClusterRun.Kind kindOf(long e) {
        if ((e & COMPRESSED) != 0) {
            return ClusterRun.Kind.COMPRESSED;
        }
        if (header.version() == 3 && (e & ZERO_FLAG) != 0) {
            return ClusterRun.Kind.ZERO;
        }
        return (e & OFFSET_MASK) == 0 ? ClusterRun.Kind.UNALLOCATED : ClusterRun.Kind.DATA;
    }

    /** Maps guest bytes from {@code offset}, at most {@code maxLen}, not crossing an L2 table. Under the lock. */
    private ClusterRun mapRun(long offset, long maxLen) {
        long vc = offset >>> cb;
        int inCluster = (int) (offset & (cs - 1));
        long e = entry(vc);
        ClusterRun.Kind kind = kindOf(e);
        long host = e & OFFSET_MASK;
        boolean copied = (e & COPIED) != 0;
        if (kind == ClusterRun.Kind.DATA && (host & (cs - 1)) != 0) {
            throw corruption(host, "Cluster allocation offset 0x" + Long.toHexString(host) + " unaligned (guest cluster "
                    + vc + ")");
        }
        long len = cs - inCluster;
        long tableEnd = ((vc >>> l2Bits) + 1) << l2Bits;
        for (long next = vc + 1; len < maxLen && next < tableEnd && kind != ClusterRun.Kind.COMPRESSED; next++) {
            long n = entry(next);
            if (kindOf(n) != kind || ((n & COPIED) != 0) != copied) {
                break;
            }
            if (kind == ClusterRun.Kind.DATA && (n & OFFSET_MASK) != host + ((next - vc) << cb)) {
                break;
            }
            if (kind == ClusterRun.Kind.ZERO && ((n & OFFSET_MASK) == 0) != (host == 0)) {
                break;
            }
            if (kind == ClusterRun.Kind.ZERO && host != 0 && (n & OFFSET_MASK) != host + ((next - vc) << cb)) {
                break; // preallocated zero clusters: one run per contiguous host range, as for data
            }
            len += cs;
        }
        long hostStart = kind == ClusterRun.Kind.DATA ? host + inCluster : host;
        return new ClusterRun(kind, hostStart, Math.min(len, maxLen), copied, e);
    }

    private void checkRange(long offset, long len) {
        if (offset < 0 || len < 0 || offset + len > header.size()) {
            throw new BlockException(name, offset, "Request [" + offset + ", +" + len + ") is outside the image of "
                    + header.size() + " bytes", null);
        }
    }

    @Override
    public Extent status(long offset, long length) {
        meta.lock();
        try {
            long len = Math.min(length, header.size() - offset);
            ClusterRun r = mapRun(offset, len);
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
            long end = (file.size() + cs - 1) / cs, counted = 0;
            for (long i = 0; i < end && counted < threshold; i++) {
                counted += refcounts.get(i) != 0 ? 1 : 0;
            }
            metadataPreallocated = counted >= threshold;
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
                r = mapRun(offset, len);
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
                byte[] cluster = decompress(r.entry());
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

    private byte[] decompress(long entry) {
        long host = Compression.hostOffset(entry, cb);
        long bytes = Math.min(Compression.compressedBytes(entry, cb), Math.max(0, file.size() - host));
        byte[] in = file.read(host, (int) bytes);
        byte[] out = Compression.inflate(in, in.length, cs);
        if (out == null) {
            throw new BlockException(name, host, "Could not decompress the compressed cluster at host offset 0x"
                    + Long.toHexString(host), null);
        }
        return out;
    }

    /** Reads guest bytes while holding the metadata lock (copy-on-write sources). */
    private void readLocked(long offset, byte[] buf, int off, int len) {
        while (len > 0) {
            ClusterRun r = mapRun(offset, len);
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
            ClusterRun r = mapRun(offset, len);
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

    ClusterRun mapLocked(long offset, long len) {
        return mapRun(offset, len);
    }

    void readGuestLocked(long offset, byte[] buf, int off, int len) {
        readLocked(offset, buf, off, len);
    }

    boolean readsAsZero(long offset, ClusterRun r) {
        return r.kind() == ClusterRun.Kind.ZERO
                || r.kind() == ClusterRun.Kind.UNALLOCATED && (backing == null || offset >= backing.size());
    }

    boolean hasBacking() {
        return backing != null || header.backingFile() != null;
    }

    /** Allocates clusters for data or metadata, refusing ones that overlap live metadata (corruption). */
    long allocateClusters(int n) {
        markDirtyForLazyRefcounts();
        long host = refcounts.allocate(n);
        for (long c = host; c < host + ((long) n << cb); c += cs) {
            if (overlapsMetadata(c)) {
                throw corruption(c, "Preventing invalid allocation of cluster at offset 0x" + Long.toHexString(c)
                        + ": it overlaps metadata (refcount 0 on live metadata)");
            }
        }
        return host;
    }

    private boolean overlapsMetadata(long c) {
        Qcow2Header h = header;
        return c == 0 || within(c, h.l1TableOffset(), (long) h.l1Size() * 8)
                || within(c, refcounts.tableOffset(), (long) refcounts.tableClusters() << cb)
                || l2Offsets.contains(c) || refcounts.isRefcountBlock(c);
    }

    private boolean within(long c, long start, long bytes) {
        return bytes > 0 && c + cs > start && c < start + bytes;
    }

    /** The L2 table for guest cluster {@code vc}, allocating (or unsharing) it for a write. */
    L2Cache.Table l2ForWrite(long vc) {
        int l1Index = (int) (vc >>> l2Bits);
        long e = l1[l1Index];
        long off = e & OFFSET_MASK;
        if (off != 0 && (e & COPIED) != 0) {
            return l2.get(off, this::loadL2);
        }
        long[] entries = off == 0 ? new long[cs / 8] : l2.get(off, this::loadL2).entries.clone();
        long fresh = allocateClusters(1);
        L2Cache.Table t = l2.create(fresh, entries);
        l2Offsets.add(fresh);
        l1[l1Index] = fresh | COPIED;
        l1Dirty.set(l1Index);
        if (off != 0) {
            refcounts.freeLater(off, cs);
        }
        return t;
    }

    int l2Index(long vc) {
        return (int) (vc & ((1L << l2Bits) - 1));
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

    BlockNode file0() {
        return file;
    }

    /** Rewrites the whole header cluster (backing file change); flushed before and after. */
    void replaceHeader(Qcow2Header h) {
        flushMetadata();
        byte[] b = h.encode();
        Qcow2Header written = Qcow2Header.parse(name, b, file.size(), BlockLimits.DEFAULT);
        file.write(0, b, 0, b.length);
        file.flush();
        header = written;
    }

    L2Cache.Table l2ForWriteLocked(long vc) {
        return l2ForWrite(vc);
    }

    long l1Entry(int index) {
        return index < l1.length ? l1[index] : 0;
    }

    int l1Length() {
        return l1.length;
    }

    void checkWritableLocked() {
        checkWritable();
    }

    private void markDirtyForLazyRefcounts() {
        if (header.lazyRefcounts() && !dirtyMarked) {
            setIncompatible(header.incompatibleFeatures() | Qcow2Header.INCOMPAT_DIRTY);
            dirtyMarked = true;
        }
    }

    private void setIncompatible(long bits) {
        header = header.withIncompatible(bits);
        writeHeaderBytes(Qcow2Header.OFF_INCOMPAT, ByteBuffer.allocate(8).putLong(0, bits).array());
    }

    private void writeHeaderBytes(int offset, byte[] bytes) {
        file.write(offset, bytes, 0, bytes.length);
        file.flush();
    }

    private void refcountTableMoved(long offset, int clusters) {
        header = header.withRefcountTable(offset, clusters);
        writeHeaderBytes(Qcow2Header.OFF_REFCOUNT_TABLE, ByteBuffer.allocate(12).putLong(offset).putInt(clusters).array());
    }

    ImageCorruptException corruption(long offset, String message) {
        if (!readOnly && header.version() == 3) {
            try {
                setIncompatible(header.incompatibleFeatures() | Qcow2Header.INCOMPAT_CORRUPT);
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

    private void checkWritable() {
        if (readOnly) {
            throw new BlockException(name, "Image '" + name + "' is read-only");
        }
        if (header.nbSnapshots() > 0) {
            throw new BlockException(name, "jqmp cannot write to qcow2 images with internal snapshots yet ('"
                    + name + "' has " + header.nbSnapshots() + ")");
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
                new Qcow2Allocation(this, offset, null, 0, n, mapRun(offset, n)).zero();
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
        if (offset + length == header.size()) {
            end = (header.size() + cs - 1) >>> cb; // the partial last cluster belongs to the image alone
        }
        meta.lock();
        try {
            for (long vc = first; vc < end; vc++) {
                long e = entry(vc);
                if (e == 0 || (kindOf(e) == ClusterRun.Kind.ZERO && (e & OFFSET_MASK) == 0)) {
                    continue;
                }
                L2Cache.Table t = l2ForWrite(vc);
                // QEMU 7.2 on v3 leaves a zero cluster (observed: map says present, zero); v2 cannot say zero
                t.entries[l2Index(vc)] = header.version() == 3 ? ZERO_FLAG : 0;
                t.dirty = true;
                releaseEntry(e);
            }
        } finally {
            meta.unlock();
        }
    }

    @Override
    public void resize(long newSize) {
        checkWritable();
        if (newSize < 0 || newSize > (1L << 55)) {
            throw new BlockException(name, "Invalid image size " + newSize);
        }
        meta.lock();
        try {
            if (newSize < header.size()) {
                meta.unlock();
                try {
                    discard(newSize, header.size() - newSize);
                } finally {
                    meta.lock();
                }
            }
            flushMetadata();
            long needed = (newSize + ((long) cs << l2Bits) - 1) >>> (cb + l2Bits);
            if (needed > l1.length) {
                growL1((int) needed, newSize);
            } else {
                header = header.withL1(newSize, header.l1Size(), header.l1TableOffset());
                writeHeaderBytes(Qcow2Header.OFF_SIZE, ByteBuffer.allocate(8).putLong(newSize).array());
            }
        } finally {
            meta.unlock();
        }
    }

    /** New L1 written and synced before the header points to it; the old one freed after. */
    private void growL1(int entries, long newSize) {
        int clusters = (int) (((long) entries * 8 + cs - 1) >>> cb);
        if (clusters > refcounts.maxRun()) {
            throw new BlockException(name, "L1 table of " + entries + " entries is too large to allocate at once");
        }
        long fresh = allocateClusters(clusters);
        long[] grown = Arrays.copyOf(l1, entries);
        ByteBuffer b = ByteBuffer.allocate(clusters << cb);
        for (int i = 0; i < grown.length; i++) {
            b.putLong(i * 8, grown[i]);
        }
        refcounts.writeDirty();
        file.write(fresh, b.array(), 0, b.capacity());
        file.flush();
        long oldOffset = header.l1TableOffset();
        int oldSize = header.l1Size();
        header = header.withL1(newSize, entries, fresh);
        writeHeaderBytes(Qcow2Header.OFF_SIZE, ByteBuffer.allocate(24).putLong(newSize).putInt(0).putInt(entries)
                .putLong(fresh).array());
        l1 = grown;
        l1Dirty.clear();
        if (oldSize > 0) {
            refcounts.freeLater(oldOffset, (long) oldSize * 8);
        }
        flushMetadata();
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

    private void flushMetadata() {
        if (readOnly) {
            return;
        }
        if (refcounts.writeDirty() && !header.lazyRefcounts()) {
            file.flush();
        }
        boolean wrote = false;
        for (L2Cache.Table t : l2.all()) {
            if (t.dirty) {
                byte[] b = t.encode();
                file.write(t.offset, b, 0, b.length);
                t.dirty = false;
                wrote = true;
            }
        }
        if (wrote) {
            file.flush();
        }
        if (!l1Dirty.isEmpty()) {
            for (int i = l1Dirty.nextSetBit(0); i >= 0; i = l1Dirty.nextSetBit(i + 1)) {
                byte[] e = ByteBuffer.allocate(8).putLong(l1[i]).array();
                file.write(header.l1TableOffset() + i * 8L, e, 0, 8);
            }
            l1Dirty.clear();
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
                    if (dirtyMarked) {
                        setIncompatible(header.incompatibleFeatures() & ~Qcow2Header.INCOMPAT_DIRTY);
                    }
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
