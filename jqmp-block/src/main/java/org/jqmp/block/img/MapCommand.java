package org.jqmp.block.img;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;
import org.jqmp.block.qcow2.Qcow2Image;

/**
 * {@code qemu-img map [-f fmt] [--output=human|json] [-U] filename}: where each guest range comes from, walking
 * the backing chain (depth 0 is the image itself).
 */
public final class MapCommand {
    /** @param start first byte to map (--start-offset); maxLength bytes to map at most, -1 for all (--max-length) */
    public record Options(String filename, String format, boolean json, boolean forceShare, long start,
                          long maxLength) {
        public Options(String filename, String format, boolean json, boolean forceShare) {
            this(filename, format, json, forceShare, 0, -1);
        }
    }

    /** One line of qemu-img map's JSON. offset is -1 when there is none. */
    public record Entry(long start, long length, int depth, boolean present, boolean zero, boolean data, long offset,
                        String file) {
    }

    private MapCommand() {
    }

    public static int run(Options o, PrintStream out, PrintStream err) {
        try (BlockNode n = Images.open(o.filename(), o.format(), true, o.forceShare(), true)) {
            long end = o.maxLength() < 0 ? n.size() : Math.min(n.size(), saturatedAdd(o.start(), o.maxLength()));
            List<Entry> entries = map(n, o.start(), end);
            if (o.json()) {
                out.print("[");
                for (int i = 0; i < entries.size(); i++) {
                    out.print((i == 0 ? "" : ",\n") + json(entries.get(i)));
                }
                out.println("]");
            } else {
                out.printf("%-16s%-16s%-16s%s%n", "Offset", "Length", "Mapped to", "File");
                for (Entry e : entries) {
                    if (e.data() && e.offset() < 0) { // a human listing needs a place in a file for every run
                        return Images.fail(err, "File contains external, encrypted or compressed clusters.");
                    }
                    if (e.data() && !e.zero()) { // qemu-img lists data that is not zero
                        out.printf("%-15s %-15s %-15s %s%n", hex(e.start()), hex(e.length()), hex(e.offset()), e.file());
                    }
                }
            }
            return 0;
        } catch (BlockException e) {
            return Images.fail(err, e.getMessage());
        }
    }

    /** C's %#x: no 0x prefix for zero. */
    private static String hex(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }

    private static String json(Entry e) {
        return String.format("{ \"start\": %d, \"length\": %d, \"depth\": %d, \"present\": %s, \"zero\": %s, "
                + "\"data\": %s%s}", e.start(), e.length(), e.depth(), e.present(), e.zero(), e.data(),
                e.offset() >= 0 ? ", \"offset\": " + e.offset() : "");
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return r < a ? Long.MAX_VALUE : r;
    }

    public static List<Entry> map(BlockNode top) {
        return map(top, 0, top.size());
    }

    /** The entries covering [start, end) of the guest view; nothing when start is at or past the end. */
    public static List<Entry> map(BlockNode top, long start, long end) {
        List<Entry> out = new ArrayList<>();
        long size = Math.min(end, top.size());
        if (start >= size) {
            // qemu-img prints its empty starting entry when there is nothing to map
            out.add(new Entry(start, 0, 0, false, false, false, -1, null));
            return out;
        }
        for (long at = start; at < size; ) {
            Entry e = resolve(top, at, size - at, 0);
            merge(out, e);
            at += e.length();
        }
        return out;
    }

    private static Entry resolve(BlockNode n, long at, long max, int depth) {
        if (at >= n.size()) {
            return new Entry(at, max, depth - 1, false, true, false, -1, null); // past a shorter backing file
        }
        Extent x = n.status(at, Math.min(max, n.size() - at));
        long len = x.length();
        return switch (x.state()) {
            case DATA -> {
                Extent inFile = fileBelow(n, x);
                yield new Entry(at, inFile == null ? len : inFile.length(), depth, true,
                        inFile != null && inFile.state() == Extent.State.ZERO, true,
                        x.compressed() ? -1 : x.hostOffset(), n.file().orElse(n).filename());
            }
            case ZERO -> new Entry(at, len, depth, true, true, false, x.hostOffset(), x.hostOffset() < 0 ? null
                    : n.file().orElse(n).filename());
            case UNALLOCATED -> {
                var b = n.backing();
                if (b.isPresent()) {
                    Entry below = resolve(b.get(), at, len, depth + 1);
                    yield below;
                }
                yield new Entry(at, len, depth, false, true, false, -1, null);
            }
        };
    }

    /**
     * For a metadata-preallocated qcow2 image, QEMU looks at the file below a data run: the run ends where the
     * file's extent ends, and where the file has a hole (or has ended) the run also reads as zero. Returns the
     * file's extent clipped to the run, or null when the image is not such an image.
     */
    private static Extent fileBelow(BlockNode n, Extent x) {
        if (x.compressed() || x.hostOffset() < 0 || !(n instanceof Qcow2Image q) || !q.metadataPreallocated()) {
            return null;
        }
        BlockNode file = q.file().orElseThrow();
        if (x.hostOffset() >= file.size()) {
            return new Extent(x.start(), x.length(), Extent.State.ZERO, x.hostOffset(), false); // past the end
        }
        Extent f = file.status(x.hostOffset(), x.length());
        return new Extent(x.start(), Math.max(1, Math.min(x.length(), f.length())), f.state(), x.hostOffset(), false);
    }

    private static void merge(List<Entry> out, Entry e) {
        if (!out.isEmpty()) {
            Entry p = out.get(out.size() - 1);
            boolean same = p.depth() == e.depth() && p.present() == e.present() && p.zero() == e.zero()
                    && p.data() == e.data() && (p.offset() < 0 && e.offset() < 0
                    || p.offset() >= 0 && e.offset() == p.offset() + p.length());
            if (same && p.start() + p.length() == e.start()) {
                out.set(out.size() - 1, new Entry(p.start(), p.length() + e.length(), p.depth(), p.present(), p.zero(),
                        p.data(), p.offset(), p.file()));
                return;
            }
        }
        out.add(e);
    }

}
