package org.jqmp.block.img;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;
import org.jqmp.block.OpenOptions;
import org.jqmp.block.qcow2.Qcow2Edits;
import org.jqmp.block.qcow2.Qcow2Image;

/**
 * {@code qemu-img commit [-q] [-f fmt] [-d] [-p] [-b base] filename}: writes everything the image holds into its
 * backing file, then empties the image (unless {@code -d}). With {@code -b}, into any image of the backing chain:
 * everything allocated above it goes there (zeroes past the end of a shorter image in between too, as QEMU counts
 * them); the image and those in between are left as they are ({@code -b} implies {@code -d}).
 */
public final class CommitCommand {
    /** @param base {@code -b}: an image of the chain, as qemu-img finds it; null for the immediate backing file */
    public record Options(String filename, String format, boolean keep, boolean progress, boolean quiet, String base) {
        public Options(String filename, String format, boolean keep, boolean progress, boolean quiet) {
            this(filename, format, keep, progress, quiet, null);
        }
    }

    private static final int CHUNK = 1 << 20;

    private CommitCommand() {
    }

    public static int run(Options o, PrintStream out, PrintStream err) {
        if (o.base() != null) {
            return commitIntoBase(o, out, err);
        }
        try (BlockNode top = Images.open(o.filename(), o.format(), false, false, false)) {
            if (!(top instanceof Qcow2Image q) || q.backingFilename() == null) {
                return Images.fail(err, "Image does not have a backing file");
            }
            Path basePath = BlockImages.resolveBacking(Path.of(o.filename()), q.backingFilename());
            try (BlockNode base = BlockImages.open(basePath, OpenOptions.readWrite().withFormat(q.backingFormat()))) {
                copyAllocated(q, base);
                base.flush();
            }
            if (!o.keep()) {
                Qcow2Edits.makeEmpty(q);
            }
            if (!o.quiet()) {
                out.println("Image committed.");
            }
            return 0;
        } catch (BlockException e) {
            return Images.fail(err, e.getMessage());
        }
    }

    private static void copyAllocated(Qcow2Image top, BlockNode base) {
        long size = top.size();
        if (base.size() < size) {
            base.resize(size);
        }
        byte[] buf = new byte[CHUNK];
        for (long at = 0; at < size; ) {
            Extent x = top.status(at, Math.min(CHUNK, size - at));
            int n = (int) x.length();
            switch (x.state()) {
                case DATA -> {
                    top.read(at, buf, 0, n);
                    base.write(at, buf, 0, n);
                }
                case ZERO -> ChunkedCopy.writeZeroesUnmapping(base, at, n);
                case UNALLOCATED -> {
                }
            }
            at += n;
        }
    }

    private static int commitIntoBase(Options o, PrintStream out, PrintStream err) {
        // the chain is only read (the image itself stays as it is): no locks, so that the base can be opened for writing
        try (BlockNode top = Images.open(o.filename(), o.format(), true, true, true)) {
            List<BlockNode> above = new ArrayList<>();
            BlockNode base = findBase(top, o.base(), above);
            if (base == null) {
                return Images.fail(err, "Did not find '" + o.base() + "' in the backing chain of '" + o.filename() + "'");
            }
            try (BlockNode target = BlockImages.open(Path.of(base.filename()),
                    OpenOptions.readWrite().withFormat(base.driverName()))) {
                if (target.size() < top.size()) {
                    target.resize(top.size());
                }
                copyAllocatedAbove(top, above, target);
                target.flush();
            }
            if (!o.quiet()) {
                out.println("Image committed.");
            }
            return 0;
        } catch (BlockException e) {
            return Images.fail(err, e.getMessage());
        }
    }

    /**
     * QEMU's bdrv_find_backing_image: for each image from the top, {@code name} taken relative to that image's
     * directory (unless absolute) names its backing file when both resolve to the same real path. Fills
     * {@code above} with the images above the one found; null when none matches.
     */
    static BlockNode findBase(BlockNode top, String name, List<BlockNode> above) {
        for (BlockNode layer = top; layer.backing().isPresent(); layer = layer.backing().get()) {
            above.add(layer);
            Path wanted = Path.of(Images.fullBackingName(layer.filename(), name));
            if (samePath(wanted, Path.of(layer.backing().get().filename()))) {
                return layer.backing().get();
            }
        }
        return null;
    }

    private static boolean samePath(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes into {@code base} what the images {@code above} it hold (QEMU's bdrv_is_allocated_above, no base). */
    private static void copyAllocatedAbove(BlockNode top, List<BlockNode> above, BlockNode base) {
        long size = top.size();
        byte[] buf = new byte[CHUNK];
        for (long at = 0; at < size; ) {
            long[] run = {Math.min(CHUNK, size - at)};
            Extent.State state = allocationAbove(above, at, run);
            int n = (int) run[0];
            switch (state) {
                case DATA -> {
                    top.read(at, buf, 0, n);
                    base.write(at, buf, 0, n);
                }
                case ZERO -> ChunkedCopy.writeZeroesUnmapping(base, at, n);
                case UNALLOCATED -> {
                }
            }
            at += n;
        }
    }

    /**
     * What the first of {@code above} that holds {@code at} says (data or zero), or unallocated when none does;
     * past the end of an image in between (the one above it leaving the range to it), zeroes. Shortens
     * {@code run[0]} to the length that answer holds for.
     */
    private static Extent.State allocationAbove(List<BlockNode> above, long at, long[] run) {
        for (BlockNode layer : above) {
            if (at >= layer.size()) {
                return Extent.State.ZERO;
            }
            Extent x = layer.status(at, Math.min(run[0], layer.size() - at));
            run[0] = Math.max(1, Math.min(run[0], x.length()));
            if (x.state() != Extent.State.UNALLOCATED) {
                return x.state();
            }
        }
        return Extent.State.UNALLOCATED;
    }
}
