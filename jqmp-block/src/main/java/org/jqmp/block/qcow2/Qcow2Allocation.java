package org.jqmp.block.qcow2;

import java.lang.foreign.MemorySegment;
import org.jqmp.block.NativeBuffers;

/**
 * One write step that needs new clusters (or turns a preallocated zero cluster into data), in three phases so
 * that the data I/O runs outside the metadata lock:
 * <ol>
 * <li>{@link #plan} and {@link #reserve}, metadata lock held: host clusters allocated, the guest clusters
 *     registered in {@link InFlightAllocations} so that other requests touching them wait;</li>
 * <li>{@link #writeData}, no lock (the image's I/O gate held for reading, so nothing is freed meanwhile):
 *     copy-on-write sources read and the full clusters written; clusters the request covers whole are written
 *     straight from the request's memory, with no copy and no copy-on-write read;</li>
 * <li>{@link #install}, metadata lock held: the L2 entries name the new clusters, the old ones are queued for
 *     freeing after the next flush.</li>
 * </ol>
 * Data reaches the file before any L2 entry names it, in memory or on disk (crash safety, see
 * {@link Qcow2Image#flush()}).
 */
final class Qcow2Allocation {
    private enum Mode {
        /** Unallocated or plain zero clusters: new host clusters, copy-on-write from the backing file or zeroes. */
        FRESH,
        /** A zero cluster that keeps its own host cluster (QEMU's "zero, allocated"): written in place. */
        INTO_ZERO_CLUSTER,
        /** A compressed or shared cluster: its old content is copied to a new cluster. */
        COPY
    }

    private final Qcow2Image img;
    private final long offset;
    private final MemorySegment src;
    private final ClusterRun run;
    private final Mode mode;
    private final long firstCluster;
    private final int clusters, cb, cs;
    private long host;
    private long[] registration;

    private Qcow2Allocation(Qcow2Image img, long offset, MemorySegment src, ClusterRun run, Mode mode, int clusters) {
        this.img = img;
        this.offset = offset;
        this.src = src;
        this.run = run;
        this.mode = mode;
        this.cb = img.clusterBits();
        this.cs = img.clusterSize();
        this.firstCluster = offset >>> cb;
        this.clusters = clusters;
    }

    /** What writing (a prefix of) {@code src} at {@code offset} needs, {@code run} being its current mapping. */
    static Qcow2Allocation plan(Qcow2Image img, long offset, MemorySegment src, ClusterRun run) {
        int cb = img.clusterBits(), cs = img.clusterSize();
        int head = (int) (offset & (cs - 1));
        Mode mode = switch (run.kind()) {
            case UNALLOCATED -> Mode.FRESH;
            case ZERO -> run.host() != 0 && run.copied() ? Mode.INTO_ZERO_CLUSTER : Mode.FRESH;
            case DATA, COMPRESSED -> Mode.COPY;
        };
        if (mode != Mode.FRESH) {
            return new Qcow2Allocation(img, offset, src.asSlice(0, Math.min(src.byteSize(), cs - head)), run, mode, 1);
        }
        long bytes = Math.min(src.byteSize(), run.length());
        int n = (int) Math.min((head + bytes + cs - 1) >>> cb, img.refcounts().maxRun());
        long consumed = Math.min(bytes, ((long) n << cb) - head);
        return new Qcow2Allocation(img, offset, src.asSlice(0, consumed), run, mode, n);
    }

    long firstCluster() {
        return firstCluster;
    }

    long endCluster() {
        return firstCluster + clusters;
    }

    /** Bytes of the request this step writes. */
    long consumed() {
        return src.byteSize();
    }

    /** Phase 1 (metadata lock held): host clusters, and the guest clusters marked in flight. */
    void reserve(InFlightAllocations inFlight) {
        host = mode == Mode.INTO_ZERO_CLUSTER ? run.host() : img.allocateClusters(clusters);
        registration = inFlight.add(firstCluster, endCluster());
    }

    /** Ends phase 1's registration, whether the write went through or not (metadata lock held). */
    void release(InFlightAllocations inFlight) {
        if (registration != null) {
            inFlight.remove(registration);
            registration = null;
        }
    }

    /** Phase 2 (no lock): the clusters' full content to the new host clusters. */
    void writeData() {
        long start = firstCluster << cb, end = start + ((long) clusters << cb), reqEnd = offset + src.byteSize();
        boolean headPartial = offset > start || reqEnd < start + cs;
        boolean tailPartial = clusters > 1 && reqEnd < end;
        long wholeFrom = headPartial ? start + cs : start, wholeTo = tailPartial ? end - cs : end;
        if (headPartial) {
            writePartial(start);
        }
        if (wholeTo > wholeFrom) {
            img.fileNode().write(host + (wholeFrom - start), src.asSlice(wholeFrom - offset, wholeTo - wholeFrom));
        }
        if (tailPartial) {
            writePartial(end - cs);
        }
    }

    /** One cluster the request covers only in part: old content (or zeroes) around the request's bytes. */
    private void writePartial(long guestCluster) {
        long from = Math.max(offset, guestCluster) - guestCluster;
        long to = Math.min(offset + src.byteSize(), guestCluster + cs) - guestCluster;
        try (NativeBuffers.Lease lease = NativeBuffers.take(cs)) {
            MemorySegment buf = lease.segment();
            oldContent(guestCluster, buf, from, to);
            MemorySegment.copy(src, guestCluster + from - offset, buf, from, to - from);
            img.fileNode().write(host + (guestCluster - (firstCluster << cb)), buf);
        }
    }

    /**
     * Fills {@code buf} (one cluster at {@code guestCluster}) with what the guest reads there now, except the
     * bytes [skipFrom, skipTo) the request replaces; bytes past the end of the image are zeroes.
     */
    private void oldContent(long guestCluster, MemorySegment buf, long skipFrom, long skipTo) {
        long valid = Math.max(0, Math.min(cs, img.size() - guestCluster));
        buf.asSlice(valid).fill((byte) 0);
        if (mode == Mode.COPY) { // whole old cluster, then overwritten in part
            img.readOldCluster(run, buf.asSlice(0, valid));
            return;
        }
        for (long[] part : new long[][] {{0, Math.min(skipFrom, valid)}, {Math.min(skipTo, valid), valid}}) {
            if (part[1] > part[0]) {
                MemorySegment dst = buf.asSlice(part[0], part[1] - part[0]);
                if (mode == Mode.FRESH && run.kind() == ClusterRun.Kind.UNALLOCATED) {
                    img.readBacking(guestCluster + part[0], dst);
                } else {
                    dst.fill((byte) 0);
                }
            }
        }
    }

    /** Phase 3 (metadata lock held): the L2 entries name the new clusters; what they named before is freed. */
    void install() {
        ClusterMap map = img.clusters();
        L2Cache.Table t = map.l2ForWrite(firstCluster);
        int i0 = map.l2Index(firstCluster);
        for (int i = 0; i < clusters; i++) {
            long old = t.get(i0 + i);
            t.set(i0 + i, (host + ((long) i << cb)) | Qcow2Image.COPIED);
            if (mode != Mode.INTO_ZERO_CLUSTER) {
                map.releaseEntry(old);
            }
        }
    }
}
