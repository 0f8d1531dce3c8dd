package org.jqmp.block.img;

import java.io.PrintStream;
import java.nio.file.Path;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;
import org.jqmp.block.OpenOptions;
import org.jqmp.block.qcow2.Qcow2Edits;
import org.jqmp.block.qcow2.Qcow2Image;

/**
 * {@code qemu-img commit [-q] [-f fmt] [-d] [-p] filename}: writes everything the image holds into its backing
 * file, then empties the image (unless {@code -d}). Commits into the immediate backing file only.
 */
public final class CommitCommand {
    public record Options(String filename, String format, boolean keep, boolean progress, boolean quiet) {
    }

    private static final int CHUNK = 1 << 20;

    private CommitCommand() {
    }

    public static int run(Options o, PrintStream out, PrintStream err) {
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
                case ZERO -> base.writeZeroes(at, n);
                case UNALLOCATED -> {
                }
            }
            at += n;
        }
    }
}
