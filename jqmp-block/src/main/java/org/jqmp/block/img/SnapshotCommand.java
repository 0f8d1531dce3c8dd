package org.jqmp.block.img;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockNode;
import org.jqmp.block.qcow2.Qcow2Image;
import org.jqmp.block.qcow2.Snapshots;

/**
 * {@code qemu-img snapshot [-l | -c name | -a name | -d name] filename}: lists, creates, applies and deletes
 * internal snapshots, with qemu-img 7.2's lookups (apply: id, then name; delete: name only) and error texts.
 */
public final class SnapshotCommand {
    public record Options(String filename, String format, boolean forceShare) {
    }

    private SnapshotCommand() {
    }

    /** {@code -c}: names may repeat; the id is the next number. */
    public static int create(Options o, String name, PrintStream err) {
        return change(o, err, "create", name, q -> Snapshots.create(q, name, Instant.now()));
    }

    /** {@code -a}: the snapshot with that id, else the first with that name. */
    public static int apply(Options o, String name, PrintStream err) {
        return change(o, err, "apply", name, q -> Snapshots.apply(q, Snapshots.findByIdOrName(Snapshots.list(q), name)
                .orElseThrow(() -> new BlockException(o.filename(), "Failed to load snapshot: No such file or directory"))));
    }

    /** {@code -d}: the first snapshot with that name (qemu-img does not look at ids here). */
    public static int delete(Options o, String name, PrintStream err) {
        return change(o, err, "delete", name, q -> Snapshots.delete(q, Snapshots.findByIdAndName(Snapshots.list(q),
                null, name).orElseThrow(() -> new BlockException(o.filename(), "snapshot not found"))));
    }

    private static int change(Options o, PrintStream err, String verb, String name, Consumer<Qcow2Image> action) {
        String prefix = "Could not " + verb + " snapshot '" + name + "': ";
        if (o.forceShare()) {
            return Images.fail(err, "Could not open '" + o.filename() + "': force-share=on can only be used with "
                    + "read-only images");
        }
        try (BlockNode n = Images.open(o.filename(), o.format(), false, false, false)) {
            if (!(n instanceof Qcow2Image q)) {
                return Images.fail(err, prefix + switch (verb) { // QEMU's words for a driver without snapshots
                    case "create" -> "-95 (Operation not supported)";
                    case "apply" -> "Block driver does not support snapshots";
                    default -> "snapshot not found";
                });
            }
            try {
                action.accept(q);
            } catch (BlockException e) {
                return Images.fail(err, prefix + e.getMessage());
            }
            return 0;
        } catch (BlockException e) {
            return Images.fail(err, e.getMessage());
        }
    }

    public static int list(Options o, PrintStream out, PrintStream err) {
        try (BlockNode n = Images.open(o.filename(), o.format(), true, o.forceShare(), false)) {
            if (!(n instanceof Qcow2Image q)) {
                return Images.fail(err, "Could not list snapshots: Operation not supported");
            }
            var snapshots = Snapshots.list(q);
            if (snapshots.isEmpty()) {
                return 0; // qemu-img prints nothing at all, not even the header
            }
            out.println("Snapshot list:");
            out.println(header());
            for (var s : snapshots) {
                out.println(row(Map.of("id", s.id(), "name", s.name(), "vm-state-size", s.vmStateSize(),
                        "date-sec", s.dateSeconds(), "vm-clock-sec", s.vmClockNanos() / 1_000_000_000L,
                        "vm-clock-nsec", s.vmClockNanos() % 1_000_000_000L, "icount", s.icount())));
            }
            return 0;
        } catch (BlockException e) {
            return Images.fail(err, e.getMessage());
        }
    }

    /** QEMU's bdrv_snapshot_dump header: %-10s%-17s%8s%20s%13s%11s. */
    static String header() {
        return String.format("%-10s%-17s%8s%20s%13s%11s", "ID", "TAG", "VM SIZE", "DATE", "VM CLOCK", "ICOUNT");
    }

    /** One row: %-9s %-16s %8s%20s%13s%11s, the clock as hh:mm:ss.mmm, no icount as "". */
    static String row(Map<String, Object> s) {
        long clockSec = (Long) s.get("vm-clock-sec"), clockNs = (Long) s.get("vm-clock-nsec");
        String clock = String.format("%02d:%02d:%02d.%03d", clockSec / 3600, clockSec / 60 % 60, clockSec % 60,
                clockNs / 1_000_000);
        Object icount = s.get("icount");
        String ic = icount == null || (Long) icount < 0 ? "" : icount.toString();
        return String.format("%-9s %-16s %8s%20s%13s%11s", s.get("id"), s.get("name"),
                Sizes.human((Long) s.get("vm-state-size")), InfoCommand.date((Long) s.get("date-sec")), clock, ic);
    }
}
