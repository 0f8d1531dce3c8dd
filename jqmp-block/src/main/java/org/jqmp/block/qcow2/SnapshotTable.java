package org.jqmp.block.qcow2;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockLimits;

/**
 * The snapshot table codec (qcow2 spec "Snapshot table"): per entry a 40-byte fixed part, extra data, id and
 * name, padded to a multiple of 8. jqmp writes 24 bytes of extra data (vm_state_size_large, disk_size, icount),
 * as QEMU 7.2 does, and keeps whatever extra data it does not know behind them.
 */
final class SnapshotTable {
    /** One entry: the snapshot and the extra data past the 24 bytes jqmp knows (kept when rewritten). */
    record Entry(Snapshot snapshot, byte[] unknownExtra) {
        Entry {
            unknownExtra = unknownExtra.clone();
        }
    }

    private static final int MAX_TABLE_BYTES = 64 << 20; // QEMU's QCOW_MAX_SNAPSHOTS_SIZE
    static final int KNOWN_EXTRA = 24;

    private SnapshotTable() {
    }

    static List<Entry> read(Qcow2Image img) {
        List<Entry> out = new ArrayList<>();
        parse(img, out);
        return out;
    }

    /** The size of the table as stored (what check counts), which re-encoding may change (shorter extra data). */
    static long storedBytes(Qcow2Image img) {
        return parse(img, new ArrayList<>());
    }

    /** Parses the table into {@code out}; returns its stored size in bytes. */
    private static int parse(Qcow2Image img, List<Entry> out) {
        Qcow2Header h = img.header();
        if (h.nbSnapshots() == 0) {
            return 0;
        }
        long avail = Math.min(MAX_TABLE_BYTES, img.fileNode().size() - h.snapshotsOffset());
        if (avail <= 0) {
            throw new BlockException(img.filename(), "Snapshot table offset is past the end of the file");
        }
        ByteBuffer b = ByteBuffer.wrap(img.fileNode().read(h.snapshotsOffset(), (int) avail));
        int at = 0;
        for (int i = 0; i < h.nbSnapshots(); i++) {
            at = parseEntry(img, h, b, at, i, out);
        }
        return at;
    }

    /** Parses entry {@code i} at {@code at} into {@code out}; returns where the next one starts. */
    private static int parseEntry(Qcow2Image img, Qcow2Header h, ByteBuffer b, int at, int i, List<Entry> out) {
        if (at + 40 > b.capacity()) {
            throw new BlockException(img.filename(), "Snapshot table is truncated (entry " + i + ")");
        }
        long l1Offset = b.getLong(at);
        int l1Size = b.getInt(at + 8);
        int idLen = b.getShort(at + 12) & 0xffff, nameLen = b.getShort(at + 14) & 0xffff;
        long sec = b.getInt(at + 16) & 0xffffffffL, nsec = b.getInt(at + 20) & 0xffffffffL;
        long clock = b.getLong(at + 24);
        long vmState = b.getInt(at + 32) & 0xffffffffL;
        int extra = b.getInt(at + 36);
        if (extra < 0 || at + 40L + extra + idLen + nameLen > b.capacity()) {
            throw new BlockException(img.filename(), "Snapshot table entry " + i + " is too long");
        }
        long diskSize = h.size(), icount = -1;
        if (extra >= 8) {
            vmState = b.getLong(at + 40);
        }
        if (extra >= 16) {
            diskSize = b.getLong(at + 48);
        }
        if (extra >= 24) {
            icount = b.getLong(at + 56);
        }
        byte[] unknown = extra > KNOWN_EXTRA
                ? Arrays.copyOfRange(b.array(), at + 40 + KNOWN_EXTRA, at + 40 + extra) : new byte[0];
        int strings = at + 40 + extra;
        String id = new String(b.array(), strings, idLen, StandardCharsets.UTF_8);
        String name = new String(b.array(), strings + idLen, nameLen, StandardCharsets.UTF_8);
        out.add(new Entry(new Snapshot(id, name, l1Offset, l1Size, sec, nsec, clock, vmState, diskSize, icount),
                unknown));
        return (strings + idLen + nameLen + 7) & ~7;
    }

    /**
     * A snapshot's L1 table, checked as QEMU checks it before use (qcow2_validate_table): a size within
     * {@link BlockLimits#maxL1Entries}, a cluster-aligned offset, inside the file.
     */
    static long[] readL1(Qcow2Image img, Snapshot s) {
        long entries = s.l1Size() & 0xffffffffL;
        long max = BlockLimits.DEFAULT.maxL1Entries();
        if (entries > max) {
            throw BlockLimits.DEFAULT.violation(img.filename(), "Snapshot '" + s.name() + "' L1 table size", entries,
                    "maxL1Entries", max);
        }
        long offset = s.l1TableOffset();
        if ((offset & (img.clusterSize() - 1)) != 0 || offset < 0
                || offset + entries * 8 > img.fileNode().size()) {
            throw new BlockException(img.filename(), offset, "Snapshot '" + s.name() + "' L1 table offset invalid",
                    null);
        }
        ByteBuffer b = ByteBuffer.wrap(img.fileNode().read(offset, (int) entries * 8));
        long[] l1 = new long[(int) entries];
        for (int i = 0; i < l1.length; i++) {
            l1[i] = b.getLong(i * 8);
        }
        return l1;
    }

    /** The table as it is stored; an empty array for no snapshots. */
    static byte[] encode(List<Entry> entries) {
        ByteBuffer b = ByteBuffer.allocate(entries.stream().mapToInt(SnapshotTable::entryBytes).sum());
        for (Entry e : entries) {
            int at = b.position();
            Snapshot s = e.snapshot();
            byte[] id = s.id().getBytes(StandardCharsets.UTF_8), name = s.name().getBytes(StandardCharsets.UTF_8);
            b.putLong(s.l1TableOffset()).putInt(s.l1Size()).putShort((short) id.length).putShort((short) name.length)
                    .putInt((int) s.dateSeconds()).putInt((int) s.dateNanos()).putLong(s.vmClockNanos())
                    .putInt((int) s.vmStateSize()).putInt(KNOWN_EXTRA + e.unknownExtra().length)
                    .putLong(s.vmStateSize()).putLong(s.diskSize()).putLong(s.icount())
                    .put(e.unknownExtra()).put(id).put(name);
            b.position(at + entryBytes(e));
        }
        return b.array();
    }

    private static int entryBytes(Entry e) {
        int n = 40 + KNOWN_EXTRA + e.unknownExtra().length + e.snapshot().id().getBytes(StandardCharsets.UTF_8).length
                + e.snapshot().name().getBytes(StandardCharsets.UTF_8).length;
        return (n + 7) & ~7;
    }
}
