package org.jqmp.machine.block;

import java.util.List;
import java.util.function.Supplier;
import org.jqmp.api.BlockDeviceInfo;
import org.jqmp.api.BlockDeviceIoStatus;
import org.jqmp.api.BlockDeviceStats;
import org.jqmp.api.BlockInfo;
import org.jqmp.api.BlockStats;
import org.jqmp.api.BlockdevDetectZeroesOptions;
import org.jqmp.machine.Machine;

/**
 * HMP's {@code info block} and {@code info blockstats}: the text QEMU 7.2 prints from {@code query-block} and
 * {@code query-blockstats} ({@code hmp_info_block}, {@code print_block_info}, {@code hmp_info_blockstats}).
 * {@code info block -n} (named nodes) and {@code -v} (image details) are not there: they say so.
 */
final class BlockHumanInfo {
    private BlockHumanInfo() {
    }

    static void addTo(Machine machine, Supplier<List<BlockInfo>> blocks, Supplier<List<BlockStats>> stats) {
        machine.addHumanInfo(new Machine.HumanInfo("block", "[-n] [-v] [device]",
                "show info of one block device or all block devices (-n: show named nodes; -v: show details)",
                words -> block(blocks.get(), words)));
        machine.addHumanInfo(new Machine.HumanInfo("blockstats", "", "show block device statistics",
                words -> words.isEmpty() ? blockstats(stats.get())
                        : "blockstats: extraneous characters at the end of line\nTry \"help info blockstats\" for more"
                        + " information\n"));
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
