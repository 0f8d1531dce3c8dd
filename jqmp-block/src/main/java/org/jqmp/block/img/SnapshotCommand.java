package org.jqmp.block.img;

import java.io.PrintStream;
import java.util.Map;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockNode;
import org.jqmp.block.qcow2.Qcow2Image;
import org.jqmp.block.qcow2.Snapshots;

/** {@code qemu-img snapshot -l [-U] filename}: lists internal snapshots (creating/applying is not supported yet). */
public final class SnapshotCommand {
    public record Options(String filename, String format, boolean forceShare) {
    }

    private SnapshotCommand() {
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
