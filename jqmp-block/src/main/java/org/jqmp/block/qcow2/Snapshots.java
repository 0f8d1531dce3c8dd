package org.jqmp.block.qcow2;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jqmp.block.BlockException;

/**
 * The internal snapshots of a qcow2 image (qcow2 spec "Snapshots"): listing, and creating, applying and deleting
 * them as QEMU's qcow2 driver does - ids, lookups, what the table holds - with jqmp's atomic metadata switch
 * ({@link MetadataSwitch}) in place of QEMU's in-place refcount updates.
 */
public final class Snapshots {
    /** QEMU's QCOW_MAX_SNAPSHOTS. */
    public static final int MAX_SNAPSHOTS = 65536;
    /** QEMU keeps names in a 256-byte buffer: longer ones are cut to 255 bytes. */
    private static final int MAX_NAME_BYTES = 255;

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

    /** QEMU's lookup for applying: by id first, then by name; the first match in table order. */
    public static Optional<Snapshot> findByIdOrName(List<Snapshot> snapshots, String idOrName) {
        return snapshots.stream().filter(s -> s.id().equals(idOrName)).findFirst()
                .or(() -> snapshots.stream().filter(s -> s.name().equals(idOrName)).findFirst());
    }

    /** QEMU's lookup for deleting: by id, by name, or by both (null: not asked for). */
    public static Optional<Snapshot> findByIdAndName(List<Snapshot> snapshots, String id, String name) {
        return snapshots.stream().filter(s -> (id == null || s.id().equals(id))
                && (name == null || s.name().equals(name)) && (id != null || name != null)).findFirst();
    }

    /**
     * Creates a snapshot of the current content, its id one more than the highest numeric id (QEMU's
     * find_new_snapshot_id); names may repeat. Returns it.
     */
    public static Snapshot create(Qcow2Image img, String name, Instant when) {
        Snapshot[] made = new Snapshot[1];
        MetadataSwitch.run(img, () -> {
            List<SnapshotTable.Entry> entries = new ArrayList<>(SnapshotTable.read(img));
            if (entries.size() >= MAX_SNAPSHOTS) {
                throw new BlockException(img.filename(), "Too many snapshots (at most " + MAX_SNAPSHOTS + ")");
            }
            Qcow2Header h = img.header();
            // the current L1 table, as flushed, becomes the snapshot's; the active one moves to a copy
            made[0] = new Snapshot(nextId(entries), truncated(name), h.l1TableOffset(), h.l1Size(),
                    when.getEpochSecond(), when.getNano() / 1000 * 1000L, 0, 0, h.size(), 0);
            entries.add(new SnapshotTable.Entry(made[0], new byte[0]));
            return new MetadataSwitch.Target(h.size(), img.clusters().l1Table(), entries, false);
        });
        return made[0];
    }

    /** Makes the snapshot's content (and size) the image's current content; the snapshot stays. */
    public static void apply(Qcow2Image img, Snapshot snapshot) {
        MetadataSwitch.run(img, () -> {
            List<SnapshotTable.Entry> entries = SnapshotTable.read(img);
            Snapshot s = find(img, entries, snapshot);
            long[] l1 = SnapshotTable.readL1(img, s);
            int entriesNeeded = (int) Math.max(img.clusters().l1EntriesFor(s.diskSize()), img.clusters().l1Length());
            l1 = Arrays.copyOf(l1, Math.max(l1.length, entriesNeeded));
            return new MetadataSwitch.Target(s.diskSize(), l1, entries, true);
        });
    }

    /** Deletes the snapshot; clusters only it used become free. */
    public static void delete(Qcow2Image img, Snapshot snapshot) {
        MetadataSwitch.run(img, () -> {
            List<SnapshotTable.Entry> entries = new ArrayList<>(SnapshotTable.read(img));
            Snapshot s = find(img, entries, snapshot);
            entries.removeIf(e -> e.snapshot().equals(s));
            return new MetadataSwitch.Target(img.header().size(), img.clusters().l1Table(), entries, false);
        });
    }

    /**
     * Makes a read-only image show the snapshot's content from now on (QEMU's bdrv_snapshot_load_tmp,
     * for {@code convert -l}); nothing on disk changes.
     */
    public static void view(Qcow2Image img, Snapshot snapshot) {
        img.metadataLock().lock();
        try {
            if (!img.isReadOnly()) {
                throw new BlockException(img.filename(), "Only a read-only image can show a snapshot");
            }
            SnapshotTable.readL1(img, snapshot); // checked as QEMU checks it before use
            // the size stays the image's (QEMU's qcow2_snapshot_load_tmp swaps only the L1 table): past the
            // snapshot's L1 table, clusters read as unallocated
            Qcow2Header h = img.header().withL1(img.header().size(), snapshot.l1Size(), snapshot.l1TableOffset());
            img.headerUpdates().useInMemory(h);
            img.clusters().reload(h);
        } finally {
            img.metadataLock().unlock();
        }
    }

    private static Snapshot find(Qcow2Image img, List<SnapshotTable.Entry> entries, Snapshot wanted) {
        return entries.stream().map(SnapshotTable.Entry::snapshot).filter(wanted::equals).findFirst()
                .orElseThrow(() -> new BlockException(img.filename(), "snapshot not found"));
    }

    private static String nextId(List<SnapshotTable.Entry> entries) {
        long max = 0;
        for (SnapshotTable.Entry e : entries) {
            max = Math.max(max, leadingNumber(e.snapshot().id()));
        }
        return Long.toString(max + 1);
    }

    /** strtoul's reading of an id: its leading digits, 0 without any. */
    private static long leadingNumber(String id) {
        int n = 0;
        while (n < id.length() && n < 18 && Character.isDigit(id.charAt(n)) && id.charAt(n) < 128) {
            n++;
        }
        return n == 0 ? 0 : Long.parseLong(id.substring(0, n));
    }

    private static String truncated(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return b.length <= MAX_NAME_BYTES ? name : new String(b, 0, MAX_NAME_BYTES, StandardCharsets.UTF_8);
    }
}
