package org.jqmp.block.qcow2;



/**
 * One write (or write-zeroes) step that needs new clusters, run under the image's metadata lock: builds the
 * full clusters (copy-on-write of the bytes the request does not cover, from the backing file, zeroes or the
 * old cluster), writes them to freshly allocated clusters, then points the L2 entries at them. The data is
 * written before the L2 entry changes in memory, so no flush can put a reference to unwritten data on disk.
 */
final class Qcow2Allocation {
    private final Qcow2Image img;
    private final long offset;
    private final byte[] buf;
    private final int off, len;
    private final ClusterRun run;
    private final int cs, cb;

    Qcow2Allocation(Qcow2Image img, long offset, byte[] buf, int off, int len, ClusterRun run) {
        this.img = img;
        this.offset = offset;
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.run = run;
        this.cs = img.clusterSize();
        this.cb = img.clusterBits();
    }

    /** Writes at most the run; returns the bytes consumed from the request. */
    int write() {
        return switch (run.kind()) {
            case UNALLOCATED -> writeFresh();
            case ZERO -> run.host() != 0 && run.copied() ? writeIntoZeroCluster() : writeFresh();
            case DATA, COMPRESSED -> copyOnWrite();
        };
    }

    /** Guest clusters that read as unallocated or zero, no host cluster of their own: allocate a contiguous run. */
    private int writeFresh() {
        long vc0 = offset >>> cb;
        int head = (int) (offset & (cs - 1));
        long bytes = Math.min(len, run.length());
        int clusters = (int) Math.min((head + bytes + cs - 1) >>> cb, img.refcounts().maxRun());
        int consumed = (int) Math.min(bytes, ((long) clusters << cb) - head);
        byte[] data = new byte[clusters << cb];
        if (head > 0) {
            img.readGuestLocked(vc0 << cb, data, 0, head);
        }
        System.arraycopy(buf, off, data, head, consumed);
        int tail = head + consumed;
        if (tail < data.length) {
            int tailLen = (int) Math.min(data.length - tail, img.size() - ((vc0 << cb) + tail));
            if (tailLen > 0) {
                img.readGuestLocked((vc0 << cb) + tail, data, tail, tailLen);
            }
        }
        long host = img.allocateClusters(clusters);
        img.fileNode().write(host, data, 0, data.length); // data first: nothing names these clusters yet
        L2Cache.Table t = img.clusters().l2ForWrite(vc0);
        int i0 = img.clusters().l2Index(vc0);
        for (int i = 0; i < clusters; i++) {
            t.entries[i0 + i] = (host + ((long) i << cb)) | Qcow2Image.COPIED;
        }
        t.dirty = true;
        return consumed;
    }

    /** A zero cluster that keeps its own host cluster (QEMU's "zero, allocated"): write it in place. */
    private int writeIntoZeroCluster() {
        long vc = offset >>> cb;
        int head = (int) (offset & (cs - 1));
        int consumed = Math.min(len, cs - head);
        byte[] data = new byte[cs];
        System.arraycopy(buf, off, data, head, consumed);
        img.fileNode().write(run.host(), data, 0, cs);
        L2Cache.Table t = img.clusters().l2ForWrite(vc);
        t.entries[img.clusters().l2Index(vc)] = run.host() | Qcow2Image.COPIED;
        t.dirty = true;
        return consumed;
    }

    /** Compressed or shared cluster: copy the old content to a new cluster; the old one is freed after flush. */
    private int copyOnWrite() {
        long vc = offset >>> cb;
        int head = (int) (offset & (cs - 1));
        int consumed = Math.min(len, cs - head);
        byte[] data = new byte[cs];
        int valid = (int) Math.min(cs, img.size() - (vc << cb));
        img.readGuestLocked(vc << cb, data, 0, valid);
        System.arraycopy(buf, off, data, head, consumed);
        long host = img.allocateClusters(1);
        img.fileNode().write(host, data, 0, cs);
        L2Cache.Table t = img.clusters().l2ForWrite(vc);
        int i = img.clusters().l2Index(vc);
        long old = t.entries[i];
        t.entries[i] = host | Qcow2Image.COPIED;
        t.dirty = true;
        img.clusters().releaseEntry(old);
        return consumed;
    }

    /** Write-zeroes within one cluster. */
    void zero() {
        long vc = offset >>> cb;
        boolean whole = (offset & (cs - 1)) == 0 && (len == cs || offset + len == img.size());
        boolean v3 = img.version() == 3;
        if (img.readsAsZero(offset, run) && (run.kind() == ClusterRun.Kind.ZERO || !img.hasBacking() || !v3 && whole)) {
            return; // already reads as zeroes
        }
        if (whole && v3) {
            L2Cache.Table t = img.clusters().l2ForWrite(vc);
            int i = img.clusters().l2Index(vc);
            long old = t.entries[i];
            boolean keepHost = run.kind() == ClusterRun.Kind.DATA && run.copied()
                    || run.kind() == ClusterRun.Kind.ZERO && run.copied() && run.host() != 0;
            t.entries[i] = keepHost ? (old & Qcow2Image.OFFSET_MASK) | Qcow2Image.COPIED | Qcow2Image.ZERO_FLAG
                    : Qcow2Image.ZERO_FLAG;
            t.dirty = true;
            if (!keepHost) {
                img.clusters().releaseEntry(old);
            }
            return;
        }
        byte[] zeroes = new byte[len];
        int done = 0;
        while (done < len) {
            ClusterRun r = img.clusters().mapRun(offset + done, len - done);
            done += new Qcow2Allocation(img, offset + done, zeroes, done, len - done, r).writeOrInPlace();
        }
    }

    private int writeOrInPlace() {
        if (run.kind() == ClusterRun.Kind.DATA && run.copied()) {
            int n = (int) Math.min(len, run.length());
            img.fileNode().write(run.host(), buf, off, n);
            return n;
        }
        return write();
    }

}
