package org.jqmp.block.qcow2;

import java.util.List;

/**
 * One internal snapshot (qcow2 spec "Snapshots"): entries of a 40-byte fixed part, extra data, id and name,
 * padded to 8 bytes.
 *
 * @param icount -1 when the entry has no instruction count (extra data shorter than 24 bytes)
 */
public record Snapshot(String id, String name, long l1TableOffset, int l1Size, long dateSeconds, long dateNanos,
                       long vmClockNanos, long vmStateSize, long diskSize, long icount) {

    static List<Snapshot> readTable(Qcow2Image img) {
        return SnapshotTable.read(img).stream().map(SnapshotTable.Entry::snapshot).toList();
    }

    static long tableBytes(Qcow2Image img) {
        return SnapshotTable.storedBytes(img);
    }
}
