package org.jqmp.block.img;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockNode;
import org.jqmp.block.OpenOptions;
import org.jqmp.block.Preallocation;
import org.jqmp.block.Qcow2Options;
import org.jqmp.block.file.FileProtocol;

/**
 * {@code qemu-img create [-q] [-f fmt] [-b backing] [-F backing_fmt] [-u] [-o options] filename [size]}.
 */
public final class CreateCommand {
    /** @param size bytes, or -1 when not given; options: the -o key=value pairs in order */
    public record Options(String filename, String format, long size, String backingFile, String backingFormat,
                          Map<String, String> options, boolean unsafe, boolean quiet) {
        public Options {
            options = options == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(options));
        }
    }

    private CreateCommand() {
    }

    /** Splits qemu-img's {@code -o a=b,c=d} (",," is a literal comma). */
    public static Map<String, String> parseOptions(String spec) {
        Map<String, String> m = new LinkedHashMap<>();
        if (spec == null || spec.isEmpty()) {
            return m;
        }
        for (String part : spec.replace(",,", "\u0000").split(",")) {
            String p = part.replace('\u0000', ',');
            int eq = p.indexOf('=');
            m.put(eq < 0 ? p : p.substring(0, eq), eq < 0 ? "on" : p.substring(eq + 1));
        }
        return m;
    }

    public static int run(Options o, PrintStream out, PrintStream err) {
        String fmt = o.format() == null ? "raw" : o.format();
        try {
            return switch (fmt) {
                case "qcow2" -> createQcow2(o, out, err);
                case "raw" -> createRaw(o, out);
                default -> Images.fail(err, "Unknown file format '" + fmt + "'");
            };
        } catch (BlockException | IllegalArgumentException e) {
            return Images.fail(err, o.filename() + ": " + e.getMessage());
        }
    }

    private static int createRaw(Options o, PrintStream out) {
        Map<String, String> opts = new LinkedHashMap<>(o.options());
        long size = opts.containsKey("size") ? Sizes.parse(opts.remove("size")) : o.size();
        Preallocation p = Preallocation.parse(opts.getOrDefault("preallocation", "off"));
        opts.remove("preallocation");
        if (!opts.isEmpty()) {
            throw new IllegalArgumentException("Invalid parameter '" + opts.keySet().iterator().next() + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("Image creation needs a size parameter");
        }
        if (p == Preallocation.METADATA) {
            throw new IllegalArgumentException("Invalid parameter 'metadata'");
        }
        if (!o.quiet()) {
            out.printf("Formatting '%s', fmt=raw size=%d%s%n", o.filename(), size,
                    p == Preallocation.OFF ? "" : " preallocation=" + p.qemuName());
        }
        size = (size + 511) & ~511L; // QEMU's raw driver creates whole 512-byte sectors
        BlockImages.createRaw(Path.of(o.filename()), size);
        if (size > 0) {
            try (FileProtocol f = FileProtocol.open(Path.of(o.filename()), o.filename(), false, true, false)) {
                if (p == Preallocation.FULL || p == Preallocation.FALLOC && !f.allocate(0, size)) {
                    byte[] zeroes = new byte[1 << 20];
                    for (long at = 0; at < size; at += zeroes.length) {
                        f.write(at, zeroes, 0, (int) Math.min(zeroes.length, size - at));
                    }
                } else {
                    // QEMU's file driver writes the first block of a new file, so that the file system has
                    // allocated it (alignment probing); qemu-img map shows it as data
                    f.write(0, new byte[4096], 0, (int) Math.min(size >= 4096 ? 4096 : 512, size));
                }
                f.flush();
            }
        }
        return 0;
    }

    private static int createQcow2(Options o, PrintStream out, PrintStream err) {
        Map<String, String> opts = new LinkedHashMap<>(o.options());
        Qcow2Options q = Qcow2Options.of(o.size());
        String backing = opts.containsKey("backing_file") ? opts.remove("backing_file") : o.backingFile();
        String backingFmt = opts.containsKey("backing_fmt") ? opts.remove("backing_fmt") : o.backingFormat();
        boolean compatGiven = opts.containsKey("compat");
        boolean preallocGiven = opts.containsKey("preallocation");
        for (Map.Entry<String, String> e : opts.entrySet()) {
            String v = e.getValue();
            q = switch (e.getKey()) {
                case "size" -> q.withSize(Sizes.parse(v));
                case "cluster_size" -> q.withClusterSize((int) Sizes.parse(v));
                case "compat" -> q.withCompat(v);
                case "lazy_refcounts" -> q.withLazyRefcounts(onOff(v));
                case "refcount_bits" -> q.withRefcountBits(Integer.parseInt(v));
                case "preallocation" -> q.withPreallocation(Preallocation.parse(v));
                case "extended_l2" -> {
                    if (onOff(v)) {
                        throw new IllegalArgumentException("extended_l2=on is not supported by jqmp");
                    }
                    yield q;
                }
                case "compression_type" -> {
                    if (!v.equals("zlib")) {
                        throw new IllegalArgumentException("compression_type=" + v + " is not supported by jqmp");
                    }
                    yield q;
                }
                default -> throw new IllegalArgumentException("Invalid parameter '" + e.getKey() + "'");
            };
        }
        q = q.withBacking(backing, backingFmt);
        if (backing != null && !o.unsafe() || backing != null && q.size() < 0) {
            Path b = BlockImages.resolveBacking(Path.of(o.filename()), backing);
            try (BlockNode bn = BlockImages.open(b, OpenOptions.readOnlyOptions().withFormat(backingFmt).withForceShare(true))) {
                if (q.size() < 0) {
                    q = q.withSize(bn.size());
                }
            } catch (BlockException e) {
                throw new BlockException(o.filename(), "Could not open backing file: " + e.getMessage(), e);
            }
        }
        if (q.size() < 0) {
            throw new IllegalArgumentException("Image creation needs a size parameter");
        }
        if (!o.quiet()) {
            out.println(formattingLine(o.filename(), q, compatGiven, preallocGiven));
        }
        BlockImages.createQcow2(Path.of(o.filename()), q);
        return 0;
    }

    /** qemu-img 7.2's "Formatting ..." line, options in its order. */
    static String formattingLine(String name, Qcow2Options q, boolean compatGiven, boolean preallocGiven) {
        StringBuilder sb = new StringBuilder("Formatting '").append(name).append("', fmt=qcow2 cluster_size=")
                .append(q.clusterSize()).append(" extended_l2=off");
        if (preallocGiven) {
            sb.append(" preallocation=").append(q.preallocation().qemuName());
        }
        sb.append(" compression_type=zlib size=").append((q.size() + 511) & ~511L);
        if (q.backingFile() != null) {
            sb.append(" backing_file=").append(q.backingFile());
        }
        if (q.backingFormat() != null) {
            sb.append(" backing_fmt=").append(q.backingFormat());
        }
        if (compatGiven) {
            sb.append(" compat=").append(q.compat());
        }
        sb.append(" lazy_refcounts=").append(q.lazyRefcounts() ? "on" : "off");
        sb.append(" refcount_bits=").append(q.refcountBits());
        return sb.toString();
    }

    private static boolean onOff(String v) {
        return switch (v) {
            case "on", "yes", "true" -> true;
            case "off", "no", "false" -> false;
            default -> throw new IllegalArgumentException("Parameter expects 'on' or 'off': " + v);
        };
    }
}
