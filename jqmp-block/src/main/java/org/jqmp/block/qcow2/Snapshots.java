package org.jqmp.block.qcow2;

import java.util.List;

/** Public access to the internal snapshot table of a qcow2 image (read-only). */
public final class Snapshots {
    private Snapshots() {
    }

    public static List<Snapshot> list(Qcow2Image img) {
        img.metadataLock().lock();
        try {
            return Snapshot.readTable(img);
        } finally {
            img.metadataLock().unlock();
        }
    }
}
