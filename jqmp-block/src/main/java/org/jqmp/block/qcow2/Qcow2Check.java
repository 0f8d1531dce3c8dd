package org.jqmp.block.qcow2;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jqmp.block.BlockException;

/**
 * {@code qemu-img check} for qcow2 (QEMU's qcow2_check_refcounts): counts the references to every host
 * cluster from header, L1/L2 tables (active and snapshots), refcount structures and the snapshot table, and
 * compares them with the stored refcounts. Stored below counted is a corruption, above is a leak. Also checks
 * the COPIED flags. With repair, sets stored refcounts to the counted ones.
 */
final class Qcow2Check {
    enum Repair { NONE, LEAKS, ALL }

    private static final long MAX_EXTRA_CLUSTERS = 1L << 24;

    private final Qcow2Image img;
    private final int cb, cs;
    private long[] refs;
    private final List<String> messages = new ArrayList<>();
    private long corruptions, allocated, fragmented, compressed, nextContiguous;

    private Qcow2Check(Qcow2Image img) {
        this.img = img;
        this.cb = img.clusterBits();
        this.cs = img.clusterSize();
        this.refs = new long[(int) ((img.fileNode().size() + cs - 1) >>> cb)];
    }

    static CheckResult run(Qcow2Image img, Repair repair, List<String> sink) {
        img.metadataLock().lock();
        try {
            Qcow2Check first = new Qcow2Check(img);
            first.count();
            long[] fixed = first.compare(repair);
            if (repair == Repair.NONE || fixed[0] + fixed[1] == 0) {
                return first.result(0, 0);
            }
            Qcow2Check again = new Qcow2Check(img);
            again.count();
            again.compare(Repair.NONE);
            List<String> all = new ArrayList<>(first.messages);
            all.addAll(again.messages);
            again.messages.clear();
            again.messages.addAll(all);
            return again.result(fixed[0], fixed[1]);
        } finally {
            img.metadataLock().unlock();
        }
    }

    private void inc(long offset, long bytes) {
        if (bytes <= 0) {
            return;
        }
        long first = offset >>> cb, last = (offset + bytes - 1) >>> cb;
        if (last >= refs.length) {
            if (last >= refs.length + MAX_EXTRA_CLUSTERS) {
                messages.add("ERROR: reference to offset 0x" + Long.toHexString(offset) + " is far beyond the end of the image file");
                corruptions++;
                return;
            }
            refs = Arrays.copyOf(refs, (int) last + 1);
        }
        for (long c = first; c <= last; c++) {
            refs[(int) c]++;
        }
    }

    private void count() {
        Qcow2Header h = img.header();
        inc(0, cs);
        inc(h.l1TableOffset(), (long) h.l1Size() * 8);
        walkL1(img.clusters().l1Table(), true);
        for (Snapshot s : Snapshot.readTable(img)) {
            inc(s.l1TableOffset(), (long) s.l1Size() * 8);
            walkL1(readL1(s.l1TableOffset(), s.l1Size()), false);
        }
        if (h.nbSnapshots() > 0) {
            inc(h.snapshotsOffset(), Snapshot.tableBytes(img));
        }
        Refcounts rc = img.refcounts();
        inc(rc.tableOffset(), (long) rc.tableClusters() << cb);
        long[] table = rc.table();
        for (int i = 0; i < table.length; i++) {
            if (table[i] == 0) {
                continue;
            }
            if ((table[i] & (cs - 1)) != 0) {
                error("ERROR refcount block " + i + " is not cluster aligned; refcount table entry corrupted");
            } else if (table[i] >= img.fileNode().size()) {
                error("ERROR refcount block " + i + " is outside image");
            } else {
                inc(table[i], cs);
            }
        }
    }

    private long[] readL1(long offset, int size) {
        ByteBuffer b = ByteBuffer.wrap(img.fileNode().read(offset, size * 8));
        long[] t = new long[size];
        for (int i = 0; i < size; i++) {
            t[i] = b.getLong(i * 8);
        }
        return t;
    }

    private void error(String message) {
        messages.add(message);
        corruptions++;
    }

    private void walkL1(long[] l1, boolean active) {
        for (long e : l1) {
            long l2 = e & Qcow2Image.OFFSET_MASK;
            if (l2 == 0) {
                continue;
            }
            if ((l2 & (cs - 1)) != 0) {
                error(String.format("ERROR l2_offset=%x: Table is not cluster aligned; L1 entry corrupted", l2));
                continue;
            }
            inc(l2, cs);
            if (l2 >= img.fileNode().size()) {
                error(String.format("ERROR l2_offset=%x: L2 table is outside the image file", l2));
                continue;
            }
            for (long entry : img.clusters().l2Table(l2)) {
                walkL2Entry(entry, active);
            }
        }
    }

    private void walkL2Entry(long e, boolean active) {
        if ((e & Qcow2Image.COMPRESSED) != 0) {
            long host = Compression.hostOffset(e, cb);
            inc(host & ~511L, Compression.compressedBytes(e, cb) + (host & 511));
            if (active) {
                allocated++;
                compressed++;
                fragmented++; // QEMU counts every compressed cluster as fragmented (sub-sector data is re-read)
            }
            return;
        }
        long host = e & Qcow2Image.OFFSET_MASK;
        if (host == 0) {
            return;
        }
        if ((host & (cs - 1)) != 0) {
            error(String.format("ERROR offset=%x: Cluster is not properly aligned; L2 entry corrupted.", host));
            return;
        }
        boolean zero = img.version() == 3 && (e & Qcow2Image.ZERO_FLAG) != 0;
        if (active && !zero) {
            allocated++;
            if (nextContiguous != 0 && host != nextContiguous) {
                fragmented++;
            }
            nextContiguous = host + cs;
        }
        inc(host, cs);
    }

    /** Returns {corruptions fixed, leaks fixed}. */
    private long[] compare(Repair repair) {
        Refcounts rc = img.refcounts();
        long fixedCorruptions = 0, fixedLeaks = 0;
        long highest = -1;
        long leaks = 0;
        int n = refs.length;
        for (int i = 0; i < n; i++) {
            long stored;
            try {
                stored = rc.get(i);
            } catch (BlockException e) {
                error("ERROR could not read refcount of cluster " + i + ": " + e.getMessage());
                continue;
            }
            long counted = refs[i];
            if (stored > 0 || counted > 0) {
                highest = i;
            }
            if (stored == counted) {
                continue;
            }
            boolean fix = repair == Repair.ALL || repair == Repair.LEAKS && stored > counted;
            messages.add(String.format("%s cluster %d refcount=%d reference=%d",
                    fix ? "Repairing" : stored < counted ? "ERROR" : "Leaked", i, stored, counted));
            if (fix) {
                rc.set(i, counted);
                if (stored < counted) {
                    fixedCorruptions++;
                } else {
                    fixedLeaks++;
                }
            } else if (stored < counted) {
                corruptions++;
            } else {
                leaks++;
            }
        }
        checkCopied(repair == Repair.ALL);
        if (fixedCorruptions + fixedLeaks > 0) {
            rc.writeDirty();
            img.fileNode().flush();
        }
        this.leakCount = leaks;
        this.highestCluster = highest;
        return new long[] {fixedCorruptions, fixedLeaks};
    }

    private long leakCount, highestCluster;

    private void checkCopied(boolean fix) {
        Refcounts rc = img.refcounts();
        long[] l1 = img.clusters().l1Table();
        for (int i = 0; i < l1.length; i++) {
            long l2 = l1[i] & Qcow2Image.OFFSET_MASK;
            if (l2 == 0 || (l2 & (cs - 1)) != 0 || l2 >= img.fileNode().size()) {
                continue;
            }
            long refcount = rc.get(l2 >>> cb);
            if ((refcount == 1) != ((l1[i] & Qcow2Image.COPIED) != 0)) {
                error(String.format("ERROR OFLAG_COPIED L2 cluster: l1_index=%d l1_entry=%x refcount=%d", i, l1[i], refcount));
            }
            for (long e : img.clusters().l2Table(l2)) {
                long host = e & Qcow2Image.OFFSET_MASK;
                if ((e & Qcow2Image.COMPRESSED) != 0 || host == 0 || (host & (cs - 1)) != 0) {
                    continue;
                }
                long r = rc.get(host >>> cb);
                if ((r == 1) != ((e & Qcow2Image.COPIED) != 0)) {
                    error(String.format("ERROR OFLAG_COPIED data cluster: l2_entry=%x refcount=%d", e, r));
                }
            }
        }
    }

    private CheckResult result(long fixedCorruptions, long fixedLeaks) {
        long total = (img.size() + cs - 1) >>> cb;
        long end = (highestCluster + 1) << cb;
        return new CheckResult(img.filename(), "qcow2", 0, end, corruptions, leakCount, fixedCorruptions, fixedLeaks,
                total, allocated, fragmented, compressed, messages);
    }
}
