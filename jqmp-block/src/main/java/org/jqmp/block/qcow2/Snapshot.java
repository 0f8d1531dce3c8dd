package org.jqmp.block.qcow2;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jqmp.block.BlockException;

/**
 * One internal snapshot (qcow2 spec "Snapshots"): entries of a 40-byte fixed part, extra data, id and name,
 * padded to 8 bytes.
 *
 * @param icount -1 when the entry has no instruction count (extra data shorter than 24 bytes)
 */
public record Snapshot(String id, String name, long l1TableOffset, int l1Size, long dateSeconds, long dateNanos,
                       long vmClockNanos, long vmStateSize, long diskSize, long icount) {

    private static final int MAX_TABLE_BYTES = 64 << 20; // QEMU's QCOW_MAX_SNAPSHOTS_SIZE

    static List<Snapshot> readTable(Qcow2Image img) {
        List<Snapshot> out = new ArrayList<>();
        parseBytes(img, out);
        return out;
    }

    static long tableBytes(Qcow2Image img) {
        List<Snapshot> ignored = new ArrayList<>();
        return parseBytes(img, ignored);
    }

    /** Parses the table into {@code out}; returns its size in bytes. */
    private static long parseBytes(Qcow2Image img, List<Snapshot> out) {
        Qcow2Header h = img.header();
        if (h.nbSnapshots() == 0) {
            return 0;
        }
        long fileSize = img.fileNode().size();
        long avail = Math.min(MAX_TABLE_BYTES, fileSize - h.snapshotsOffset());
        if (avail <= 0) {
            throw new BlockException(img.filename(), "Snapshot table offset is past the end of the file");
        }
        ByteBuffer b = ByteBuffer.wrap(img.fileNode().read(h.snapshotsOffset(), (int) avail));
        int at = 0;
        for (int i = 0; i < h.nbSnapshots(); i++) {
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
            int strings = at + 40 + extra;
            String id = new String(b.array(), strings, idLen, StandardCharsets.UTF_8);
            String name = new String(b.array(), strings + idLen, nameLen, StandardCharsets.UTF_8);
            out.add(new Snapshot(id, name, l1Offset, l1Size, sec, nsec, clock, vmState, diskSize, icount));
            at = (strings + idLen + nameLen + 7) & ~7;
        }
        return at;
    }
}
