package org.jqmp.block.img;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;
import org.jqmp.block.OpenOptions;
import org.jqmp.block.file.FileProtocol;
import org.jqmp.block.qcow2.Qcow2Edits;
import org.jqmp.block.qcow2.Qcow2Image;
import org.jqmp.block.qcow2.Snapshot;
import org.jqmp.block.qcow2.Snapshots;

/**
 * {@code qemu-img convert [-f fmt] [-O fmt] [-c] [-p] [-q] [-n] [-B backing [-F fmt]] [-S size] [-o options] src
 * dst}: raw and qcow2 either way. A fresh target without backing file reads as zeroes, so all-zero runs are
 * skipped, as qemu-img does; an existing one ({@code -n}) or one with a backing file gets them written as zeroes
 * (zero clusters); with {@code -B}, what the source leaves to its backing file stays unallocated. The copy runs on several threads with native buffers ({@link ChunkedCopy}); {@code -c} deflates cluster by cluster.
 */
public final class ConvertCommand {
    /**
     * @param cache the target's cache mode ({@code -t}); null is qemu-img convert's default, {@code unsafe}: the
     *              target is never synced (flushes ignored), so the copy ends in the page cache, as qemu-img's does
     */
    public record Options(String source, String sourceFormat, String target, String targetFormat, boolean compressed,
                          boolean progress, Map<String, String> options, boolean quiet, boolean forceShare,
                          String cache, Target output, SourceSnapshot snapshot) {
        public Options(String source, String sourceFormat, String target, String targetFormat, boolean compressed,
                       boolean progress, Map<String, String> options, boolean quiet, boolean forceShare,
                       String cache, Target output) {
            this(source, sourceFormat, target, targetFormat, compressed, progress, options, quiet, forceShare, cache,
                    output, null);
        }

        public Options(String source, String sourceFormat, String target, String targetFormat, boolean compressed,
                       boolean progress, Map<String, String> options, boolean quiet, boolean forceShare,
                       String cache) {
            this(source, sourceFormat, target, targetFormat, compressed, progress, options, quiet, forceShare, cache,
                    Target.DEFAULT);
        }

        public Options(String source, String sourceFormat, String target, String targetFormat, boolean compressed,
                       boolean progress, Map<String, String> options, boolean quiet, boolean forceShare) {
            this(source, sourceFormat, target, targetFormat, compressed, progress, options, quiet, forceShare, null);
        }

        boolean flushes() {
            return cache != null && !cache.equals("unsafe");
        }

        String backingFile() {
            return output.backingFile() != null ? output.backingFile() : options.get("backing_file");
        }
    }

    /**
     * How the target is made and filled.
     *
     * @param backingFile   {@code -B}: the target gets this backing file, and what the source leaves to its own
     *                      backing file is left unallocated in the target (null: none)
     * @param backingFormat {@code -F}
     * @param skipCreate    {@code -n}: write into the existing target (zeroes are written, not skipped)
     * @param sparseSize    {@code -S}: zero runs at least this long are not written as data; 0 writes everything;
     *                      -1 for qemu-img's default (4 KiB, or the target's cluster)
     * @param targetIsZero  {@code --target-is-zero}: the existing target reads as zeroes already
     */
    public record Target(String backingFile, String backingFormat, boolean skipCreate, long sparseSize,
                         boolean targetIsZero) {
        public static final Target DEFAULT = new Target(null, null, false, -1, false);
    }

    /**
     * {@code -l}: convert an internal snapshot of the source instead of its current content. Either
     * {@code idOrName} (QEMU's lookup: id first, then name) or {@code id} and/or {@code name}, which must all match.
     */
    public record SourceSnapshot(String id, String name, String idOrName) {
        Optional<Snapshot> find(List<Snapshot> snapshots) {
            return idOrName != null ? Snapshots.findByIdOrName(snapshots, idOrName)
                    : Snapshots.findByIdAndName(snapshots, id, name);
        }
    }

    private static final int CHUNK = 1 << 20;

    private ConvertCommand() {
    }

    public static int run(Options o, PrintStream out, PrintStream err) {
        String fmt = o.targetFormat() == null ? "raw" : o.targetFormat();
        if (o.compressed() && !fmt.equals("qcow2")) {
            return Images.fail(err, "Compression not supported for this file format");
        }
        try (BlockNode src = Images.open(o.source(), o.sourceFormat(), true, o.forceShare(), true)) {
            if (o.snapshot() != null) {
                String problem = loadSnapshot(src, o.snapshot());
                if (problem != null) {
                    return Images.fail(err, "Failed to load snapshot: " + problem);
                }
            }
            if (!o.output().skipCreate()) {
                int rc = createTarget(o, fmt, src.size(), out, err);
                if (rc != 0) {
                    return rc;
                }
            }
            try (BlockNode dst = openTarget(o, fmt)) {
                if (dst.size() < src.size()) {
                    return Images.fail(err, "output file is smaller than input file");
                }
                if (!o.flushes() && dst.file().orElse(dst) instanceof FileProtocol f) {
                    f.ignoreFlushes();
                }
                copy(src, dst, o, out);
                dst.flush();
            }
            return 0;
        } catch (BlockException e) {
            return Images.fail(err, e.getMessage());
        }
    }

    /** Shows the snapshot in {@code src}; returns what went wrong in QEMU's words, null when it worked. */
    private static String loadSnapshot(BlockNode src, SourceSnapshot wanted) {
        if (!(src instanceof Qcow2Image q)) {
            return "Block format '" + src.driverName() + "' used by device '' does not support temporarily loading "
                    + "internal snapshots";
        }
        Optional<Snapshot> s = wanted.find(Snapshots.list(q));
        if (s.isEmpty()) {
            return "Can't find snapshot";
        }
        Snapshots.view(q, s.get());
        return null;
    }

    /** qemu-img's checks of -B/-F, then the target as {@code create} makes it (sized as the source). */
    private static int createTarget(Options o, String fmt, long size, PrintStream out, PrintStream err) {
        Target t = o.output();
        String backingFormat = t.backingFormat() != null ? t.backingFormat() : o.options().get("backing_fmt");
        if (o.backingFile() == null && t.backingFormat() != null) {
            return Images.fail(err, fmt.equals("raw") ? "Backing file format not supported for file format 'raw'"
                    : o.target() + ": error while converting " + fmt + ": Backing format cannot be used without "
                    + "backing file");
        }
        if (o.backingFile() != null && fmt.equals("raw")) {
            return Images.fail(err, "Backing file not supported for file format '" + fmt + "'");
        }
        if (o.backingFile() != null && backingFormat == null) {
            return Images.fail(err, "Use of backing file requires explicit backing format");
        }
        var create = new CreateCommand.Options(o.target(), fmt, size, t.backingFile(), t.backingFormat(),
                o.options(), true, true);
        return CreateCommand.run(create, out, err);
    }

    private static BlockNode openTarget(Options o, String fmt) {
        if (o.output().skipCreate()) {
            return Images.open(o.target(), fmt, false, false, true);
        }
        return BlockImages.open(Path.of(o.target()), OpenOptions.readWrite().withFormat(fmt));
    }

    private static void copy(BlockNode src, BlockNode dst, Options o, PrintStream out) {
        int unit = dst instanceof Qcow2Image q ? q.clusterSize() : 4096;
        if (o.compressed()) {
            copyCompressed(src, dst, o, out, unit);
        } else {
            long size = src.size();
            int[] lastPercent = {-1};
            Target t = o.output();
            long sparse = t.sparseSize();
            var mode = new ChunkedCopy.Mode(sparse == 0 ? 0 : (int) Math.max(unit, sparse),
                    t.targetIsZero() || !t.skipCreate() && o.backingFile() == null, o.backingFile() != null);
            new ChunkedCopy(src, dst, mode, done -> showProgress(o, out, done, size, lastPercent)).run();
        }
        if (o.progress() && !o.quiet()) {
            out.printf("    (100.00/100%%)\r%n");
        }
    }

    private static void showProgress(Options o, PrintStream out, long done, long size, int[] lastPercent) {
        int percent = (int) (done * 100 / Math.max(1, size));
        if (o.progress() && !o.quiet() && percent != lastPercent[0]) {
            out.printf("    (%.2f/100%%)\r", (double) percent);
            lastPercent[0] = percent;
        }
    }

    /** convert -c: one thread, whole clusters deflated (the deflate dominates, not the I/O). */
    private static void copyCompressed(BlockNode src, BlockNode dst, Options o, PrintStream out, int unit) {
        long size = src.size();
        int chunk = Math.max(CHUNK / unit, 1) * unit;
        byte[] buf = new byte[chunk];
        Qcow2Edits.Cursor cursor = new Qcow2Edits.Cursor();
        boolean keepBacking = o.backingFile() != null;
        int[] lastPercent = {-1};
        for (long at = 0; at < size; at += chunk) {
            int n = (int) Math.min(chunk, size - at);
            src.read(at, buf, 0, n);
            for (int p = 0; p < n; ) {
                int len = Math.min(unit, n - p);
                if (keepBacking && leftToBacking(src, at + p, len)) {
                    p += len;
                } else if (isZero(buf, p, len)) {
                    if (keepBacking) { // the target's backing file is below: zeroes must be said
                        ChunkedCopy.writeZeroesUnmapping(dst, at + p, len);
                    }
                    p += len;
                } else if (len == unit) {
                    Qcow2Edits.writeCompressed((Qcow2Image) dst, at + p, java.util.Arrays.copyOfRange(buf, p, p + len), cursor);
                    p += len;
                } else {
                    int run = dataRun(buf, p, n, unit); // one write for consecutive units that hold data
                    dst.write(at + p, buf, p, run);
                    p += run;
                }
            }
            showProgress(o, out, at + n, size, lastPercent);
        }
    }

    /** -B: the source leaves the whole unit to its backing file, so the target leaves it to its own. */
    private static boolean leftToBacking(BlockNode src, long at, int len) {
        if (src.backing().isEmpty()) {
            return false;
        }
        Extent x = src.status(at, len);
        return x.state() == Extent.State.UNALLOCATED && x.length() >= len;
    }

    /** Bytes from {@code p} up to the first all-zero unit (or {@code n}); the unit at {@code p} holds data. */
    private static int dataRun(byte[] buf, int p, int n, int unit) {
        int end = p + Math.min(unit, n - p);
        while (end < n && !isZero(buf, end, Math.min(unit, n - end))) {
            end += Math.min(unit, n - end);
        }
        return end - p;
    }

    static boolean isZero(byte[] b, int off, int len) {
        return ChunkedCopy.isZero(MemorySegment.ofArray(b), off, len); // vectorized by the JDK
    }
}
