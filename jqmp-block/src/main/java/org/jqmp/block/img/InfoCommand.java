package org.jqmp.block.img;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockNode;
import org.jqmp.block.qcow2.Qcow2Image;
import org.jqmp.block.qcow2.Snapshot;
import org.jqmp.block.qcow2.Snapshots;

/** {@code qemu-img info [-f fmt] [--output=human|json] [--backing-chain] [-U] filename}. */
public final class InfoCommand {
    public record Options(String filename, String format, boolean json, boolean backingChain, boolean forceShare) {
    }

    private InfoCommand() {
    }

    public static int run(Options o, PrintStream out, PrintStream err) {
        try (BlockNode node = Images.open(o.filename(), o.format(), true, o.forceShare(), o.backingChain())) {
            List<Map<String, Object>> infos = new ArrayList<>();
            for (BlockNode n = node; n != null; n = o.backingChain() ? n.backing().orElse(null) : null) {
                infos.add(info(n));
            }
            if (o.json()) {
                out.println(Json.pretty(o.backingChain() ? infos : infos.get(0)));
            } else {
                for (int i = 0; i < infos.size(); i++) {
                    if (i > 0) {
                        out.println();
                    }
                    out.print(human(infos.get(i)));
                }
            }
            return 0;
        } catch (BlockException e) {
            return Images.fail(err, e.getMessage());
        }
    }

    /** The ImageInfo fields qemu-img 7.2 prints, in its order. */
    public static Map<String, Object> info(BlockNode n) {
        Map<String, Object> m = Json.object();
        Qcow2Image q = n instanceof Qcow2Image qi ? qi : null;
        if (q != null && q.snapshotCount() > 0) {
            m.put("snapshots", Snapshots.list(q).stream().map(InfoCommand::snapshotInfo).toList());
        }
        if (q != null && q.backingFilename() != null && q.backingFormat() != null) {
            m.put("backing-filename-format", q.backingFormat());
        }
        m.put("virtual-size", n.size());
        m.put("filename", n.filename());
        if (q != null) {
            m.put("cluster-size", q.clusterSize());
        }
        m.put("format", n.driverName());
        m.put("actual-size", n.allocatedSize());
        if (q != null) {
            m.put("format-specific", ordered("type", "qcow2", "data", qcow2Data(q)));
        }
        if (q != null && q.backingFilename() != null) {
            m.put("full-backing-filename", Images.fullBackingName(n.filename(), q.backingFilename()));
            m.put("backing-filename", q.backingFilename());
        }
        m.put("dirty-flag", q != null && q.isDirty());
        return m;
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = Json.object();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> qcow2Data(Qcow2Image q) {
        Map<String, Object> d = Json.object();
        d.put("compat", q.version() == 3 ? "1.1" : "0.10");
        d.put("compression-type", "zlib");
        if (q.version() == 3) {
            d.put("lazy-refcounts", q.lazyRefcounts());
        }
        d.put("refcount-bits", q.refcountBits());
        if (q.version() == 3) {
            d.put("corrupt", q.isCorrupt());
            d.put("extended-l2", false);
        }
        return d;
    }

    private static Map<String, Object> snapshotInfo(Snapshot s) {
        Map<String, Object> m = Json.object();
        if (s.icount() >= 0) {
            m.put("icount", s.icount());
        }
        m.put("vm-clock-nsec", s.vmClockNanos() % 1_000_000_000L);
        m.put("name", s.name());
        m.put("date-sec", s.dateSeconds());
        m.put("date-nsec", s.dateNanos());
        m.put("vm-clock-sec", s.vmClockNanos() / 1_000_000_000L);
        m.put("id", s.id());
        m.put("vm-state-size", s.vmStateSize());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static String human(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder();
        sb.append("image: ").append(m.get("filename")).append('\n');
        sb.append("file format: ").append(m.get("format")).append('\n');
        long size = (Long) m.get("virtual-size");
        sb.append("virtual size: ").append(Sizes.human(size)).append(" (").append(size).append(" bytes)\n");
        sb.append("disk size: ").append(Sizes.human((Long) m.get("actual-size"))).append('\n');
        if (m.containsKey("cluster-size")) {
            sb.append("cluster_size: ").append(m.get("cluster-size")).append('\n');
        }
        if (m.containsKey("backing-filename")) {
            String b = (String) m.get("backing-filename"), full = (String) m.get("full-backing-filename");
            sb.append("backing file: ").append(b);
            if (!b.equals(full)) {
                sb.append(" (actual path: ").append(full).append(')');
            }
            sb.append('\n');
            if (m.containsKey("backing-filename-format")) {
                sb.append("backing file format: ").append(m.get("backing-filename-format")).append('\n');
            }
        }
        if (m.containsKey("snapshots")) {
            sb.append("Snapshot list:\n");
            sb.append(SnapshotCommand.header()).append('\n');
            for (Map<String, Object> s : (List<Map<String, Object>>) m.get("snapshots")) {
                sb.append(SnapshotCommand.row(s)).append('\n');
            }
        }
        if (m.containsKey("format-specific")) {
            Map<String, Object> data = (Map<String, Object>) ((Map<String, Object>) m.get("format-specific")).get("data");
            sb.append("Format specific information:\n");
            data.forEach((k, v) -> sb.append("    ").append(k.replace('-', ' ')).append(": ").append(v).append('\n'));
        }
        return sb.toString();
    }

    static String date(long sec) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault())
                .format(Instant.ofEpochSecond(sec));
    }
}
