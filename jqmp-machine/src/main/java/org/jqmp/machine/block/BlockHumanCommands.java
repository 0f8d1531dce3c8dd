package org.jqmp.machine.block;

import java.util.List;
import java.util.function.Supplier;
import org.jqmp.api.BlockDeviceInfo;
import org.jqmp.api.BlockDeviceIoStatus;
import org.jqmp.api.BlockDeviceStats;
import org.jqmp.api.BlockInfo;
import org.jqmp.api.BlockJobInfo;
import org.jqmp.api.BlockStats;
import org.jqmp.api.BlockdevDetectZeroesOptions;
import org.jqmp.api.runtime.CommandContext;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.json.JsonObject;
import org.jqmp.machine.Machine;

/**
 * HMP's block commands. {@code info block} and {@code info blockstats}: the text QEMU 7.2 prints from
 * {@code query-block} and {@code query-blockstats} ({@code hmp_info_block}, {@code print_block_info},
 * {@code hmp_info_blockstats}); {@code info block -n} (named nodes) and {@code -v} (image details) are not there and
 * say so. {@code eject} and {@code change}: their arguments read as QEMU's monitor reads them, then the QMP command
 * ({@code eject}, {@code blockdev-change-medium}) does the work, its error printed as {@code Error: ...}.
 */
final class BlockHumanCommands {
    private BlockHumanCommands() {
    }

    static void addTo(Machine machine, Supplier<List<BlockInfo>> blocks, Supplier<List<BlockStats>> stats,
                      Supplier<List<BlockJobInfo>> jobs, CommandTable commands) {
        machine.addHumanCommand(new Machine.HumanCommand("snapshot_blkdev", "[-n] device [new-image-file] [format]",
                "initiates a live snapshot\n\t\t\tof device. If a new image file is specified, the\n\t\t\tnew image file"
                + " will become the new root image.\n\t\t\tIf format is specified, the snapshot file will\n\t\t\tbe"
                + " created in that format.\n\t\t\tThe default format is qcow2.  The -n flag requests QEMU\n\t\t\tto"
                + " reuse the image found in new-image-file, instead of\n\t\t\trecreating it from scratch.",
                words -> snapshot(commands, words)));
        machine.addHumanCommand(new Machine.HumanCommand("block_resize", "device size", "resize a block image",
                words -> resize(commands, words)));
        machine.addHumanInfo(new Machine.HumanCommand("block-jobs", "",
                "show progress of ongoing block device operations", words -> words.isEmpty() ? blockJobs(jobs.get())
                : usage("block-jobs", "extraneous characters at the end of line")));
        machine.addHumanCommand(new Machine.HumanCommand("eject", "[-f] device",
                "eject a removable medium (use -f to force it)", words -> eject(commands, words)));
        machine.addHumanCommand(new Machine.HumanCommand("change", "device [-f] filename [format [read-only-mode]]",
                "change a removable medium, optional format, use -f to force the operation",
                words -> change(commands, words)));
        machine.addHumanInfo(new Machine.HumanCommand("block", "[-n] [-v] [device]",
                "show info of one block device or all block devices (-n: show named nodes; -v: show details)",
                words -> block(blocks.get(), words)));
        machine.addHumanInfo(new Machine.HumanCommand("blockstats", "", "show block device statistics",
                words -> words.isEmpty() ? blockstats(stats.get())
                        : "blockstats: extraneous characters at the end of line\nTry \"help info blockstats\" for more"
                        + " information\n"));
    }

    /** {@code hmp_eject}: args {@code force:-f,device:B}. */
    static String eject(CommandTable commands, List<String> words) {
        int i = 0;
        boolean force = i < words.size() && words.get(i).equals("-f");
        i += force ? 1 : 0;
        if (i >= words.size()) {
            return usage("eject", "block device name expected");
        }
        String device = words.get(i++);
        if (i < words.size()) {
            return usage("eject", "extraneous characters at the end of line");
        }
        JsonObject.Builder args = JsonObject.builder().put("device", device);
        if (force) {
            args.put("force", true);
        }
        return run(commands, "eject", args.build());
    }

    /** {@code hmp_change} for a block device: args {@code device:B,force:-f,target:F,arg:s?,read-only-mode:s?}. */
    static String change(CommandTable commands, List<String> words) {
        int i = 0;
        if (i >= words.size()) {
            return usage("change", "block device name expected");
        }
        String device = words.get(i++);
        boolean force = i < words.size() && words.get(i).equals("-f");
        i += force ? 1 : 0;
        if (i >= words.size()) {
            return usage("change", "filename expected");
        }
        String filename = words.get(i++);
        String format = i < words.size() ? words.get(i++) : null;
        String mode = i < words.size() ? words.get(i++) : null;
        if (i < words.size()) {
            return usage("change", "extraneous characters at the end of line");
        }
        if (mode != null && !List.of("retain", "read-only", "read-write").contains(mode)) {
            return "Error: invalid parameter value: " + mode + "\n";
        }
        JsonObject.Builder args = JsonObject.builder().put("device", device).put("filename", filename);
        if (format != null) {
            args.put("format", format);
        }
        if (force) {
            args.put("force", true);
        }
        if (mode != null) {
            args.put("read-only-mode", mode);
        }
        return run(commands, "blockdev-change-medium", args.build());
    }

    /** {@code hmp_snapshot_blkdev}: args {@code reuse:-n,device:B,snapshot-file:s?,format:s?}. */
    static String snapshot(CommandTable commands, List<String> words) {
        int i = 0;
        boolean reuse = i < words.size() && words.get(i).equals("-n");
        i += reuse ? 1 : 0;
        if (i >= words.size()) {
            return usage("snapshot_blkdev", "block device name expected");
        }
        String device = words.get(i++);
        String file = i < words.size() ? words.get(i++) : null;
        String format = i < words.size() ? words.get(i++) : null;
        if (i < words.size()) {
            return usage("snapshot_blkdev", "extraneous characters at the end of line");
        }
        if (file == null) {
            return "Error: Parameter 'snapshot-file' is missing\n";
        }
        JsonObject.Builder args = JsonObject.builder().put("device", device).put("snapshot-file", file)
                .put("format", format == null ? "qcow2" : format)
                .put("mode", reuse ? "existing" : "absolute-paths");
        return run(commands, "blockdev-snapshot-sync", args.build());
    }

    /**
     * {@code hmp_block_resize}: args {@code device:B,size:o}. A size is read as QEMU's monitor reads one (a number,
     * maybe with a fraction, and a unit, MiB when none is given); what follows it on the line is extraneous.
     */
    static String resize(CommandTable commands, List<String> words) {
        if (words.isEmpty()) {
            return usage("block_resize", "block device name expected");
        }
        java.util.regex.Matcher size = words.size() < 2 ? null
                : java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([bBkKmMgGtTpPeE]?)(.*)").matcher(words.get(1));
        if (size == null || !size.matches()) {
            return "invalid size\nTry \"help block_resize\" for more information\n";
        }
        if (!size.group(3).isEmpty() || words.size() > 2) {
            return usage("block_resize", "extraneous characters at the end of line");
        }
        int shift = switch (size.group(2).toUpperCase(java.util.Locale.ROOT)) {
            case "B" -> 0;
            case "K" -> 10;
            case "", "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            case "P" -> 50;
            default -> 60;
        };
        java.math.BigDecimal bytes = new java.math.BigDecimal(size.group(1))
                .multiply(java.math.BigDecimal.valueOf(2).pow(shift));
        if (bytes.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return "invalid size\nTry \"help block_resize\" for more information\n";
        }
        return run(commands, "block_resize", JsonObject.builder().put("device", words.getFirst())
                .put("size", bytes.longValue()).build());
    }

    /** {@code hmp_info_block_jobs}. */
    static String blockJobs(List<BlockJobInfo> jobs) {
        if (jobs.isEmpty()) {
            return "No active jobs\n";
        }
        StringBuilder out = new StringBuilder();
        for (BlockJobInfo job : jobs) {
            out.append("Type ").append(job.type()).append(", device ").append(job.device()).append(": Completed ")
                    .append(job.offset()).append(" of ").append(job.len()).append(" bytes, speed limit ")
                    .append(job.speed()).append(" bytes/s\n");
        }
        return out.toString();
    }

    /** {@code monitor_parse_arguments}' complaint, and its pointer to the help. */
    private static String usage(String command, String problem) {
        return command + ": " + problem + "\nTry \"help " + command + "\" for more information\n";
    }

    /** The QMP command does the work; {@code hmp_handle_error} prints its error. */
    private static String run(CommandTable commands, String name, JsonObject arguments) {
        CommandContext context = CommandContext.outsideSession(CompatPolicy.ACCEPT_ALL);
        try {
            commands.lookup(name).handler().execute(arguments, context);
            return "";
        } catch (QmpException e) {
            return "Error: " + e.getMessage() + "\n" + e.hint().map(h -> h.endsWith("\n") ? h : h + "\n").orElse("");
        }
    }

    static String block(List<BlockInfo> blocks, List<String> words) {
        if (words.contains("-n") || words.contains("-v")) {
            return "info block: options -n and -v are not supported by jqmp\n";
        }
        String device = words.isEmpty() ? null : words.getFirst();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < blocks.size(); i++) {
            BlockInfo info = blocks.get(i);
            if (device != null && !device.equals(info.device())) {
                continue;
            }
            if (i > 0) { // every entry but the list's first is set apart, even when it is the only one shown
                out.append('\n');
            }
            print(out, info, info.inserted());
        }
        return out.toString();
    }

    /** {@code print_block_info}, for a device (the only kind {@code info block} without {@code -n} prints). */
    private static void print(StringBuilder out, BlockInfo info, BlockDeviceInfo inserted) {
        out.append(info.device());
        if (inserted != null && inserted.nodeName() != null) {
            out.append(" (").append(inserted.nodeName()).append(')');
        }
        if (inserted != null) {
            out.append(": ").append(inserted.file()).append(" (").append(inserted.drv())
                    .append(inserted.ro() ? ", read-only" : "").append(inserted.encrypted() ? ", encrypted" : "")
                    .append(")\n");
        } else {
            out.append(": [not inserted]\n");
        }
        if (info.qdev() != null) {
            out.append("    Attached to:      ").append(info.qdev()).append('\n');
        }
        if (info.ioStatus() != null && info.ioStatus() != BlockDeviceIoStatus.OK) {
            out.append("    I/O status:       ").append(info.ioStatus().wireName()).append('\n');
        }
        if (info.removable()) {
            out.append("    Removable device: ").append(info.locked() ? "" : "not ").append("locked, tray ")
                    .append(Boolean.TRUE.equals(info.trayOpen()) ? "open" : "closed").append('\n');
        }
        if (inserted == null) {
            return;
        }
        out.append("    Cache mode:       ").append(inserted.cache().writeback() ? "writeback" : "writethrough")
                .append(inserted.cache().direct() ? ", direct" : "")
                .append(inserted.cache().noFlush() ? ", ignore flushes" : "").append('\n');
        if (inserted.backingFile() != null) {
            out.append("    Backing file:     ").append(inserted.backingFile()).append(" (chain depth: ")
                    .append(inserted.backingFileDepth()).append(")\n");
        }
        if (inserted.detectZeroes() != BlockdevDetectZeroesOptions.OFF) {
            out.append("    Detect zeroes:    ").append(inserted.detectZeroes().wireName()).append('\n');
        }
        // jqmp has no I/O throttling: QEMU's "I/O throttling:" line never applies
    }

    /** {@code hmp_info_blockstats}: one line per device. */
    static String blockstats(List<BlockStats> all) {
        StringBuilder out = new StringBuilder();
        for (BlockStats entry : all) {
            if (entry.device() == null) {
                continue;
            }
            BlockDeviceStats s = entry.stats();
            out.append(entry.device()).append(':')
                    .append(" rd_bytes=").append(s.rdBytes())
                    .append(" wr_bytes=").append(s.wrBytes())
                    .append(" rd_operations=").append(s.rdOperations())
                    .append(" wr_operations=").append(s.wrOperations())
                    .append(" flush_operations=").append(s.flushOperations())
                    .append(" wr_total_time_ns=").append(s.wrTotalTimeNs())
                    .append(" rd_total_time_ns=").append(s.rdTotalTimeNs())
                    .append(" flush_total_time_ns=").append(s.flushTotalTimeNs())
                    .append(" rd_merged=").append(s.rdMerged())
                    .append(" wr_merged=").append(s.wrMerged())
                    .append(" idle_time_ns=").append(s.idleTimeNs() == null ? 0 : s.idleTimeNs())
                    .append('\n');
        }
        return out.toString();
    }
}
