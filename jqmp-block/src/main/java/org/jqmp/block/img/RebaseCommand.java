package org.jqmp.block.img;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;
import org.jqmp.block.OpenOptions;
import org.jqmp.block.qcow2.Qcow2Edits;
import org.jqmp.block.qcow2.Qcow2Image;

/**
 * {@code qemu-img rebase [-u] [-p] [-q] [-f fmt] -b backing [-F backing_fmt] filename}. Safe mode copies into
 * the image every unallocated range where the old and the new backing file differ, then changes the header;
 * {@code -u} only changes the header. An empty backing name removes the backing file.
 */
public final class RebaseCommand {
    public record Options(String filename, String format, String backing, String backingFormat, boolean unsafe,
                          boolean progress, boolean quiet) {
    }

    private static final int CHUNK = 1 << 16;

    private RebaseCommand() {
    }

    public static int run(Options o, PrintStream out, PrintStream err) {
        String newBacking = o.backing() == null || o.backing().isEmpty() ? null : o.backing();
        try (BlockNode top = Images.open(o.filename(), o.format(), false, false, !o.unsafe())) {
            if (!(top instanceof Qcow2Image q)) {
                return Images.fail(err, "Could not change the backing file to '" + o.backing() + "': Operation not supported");
            }
            String fmt = o.backingFormat();
            if (!o.unsafe()) {
                BlockNode fresh = newBacking == null ? null : BlockImages.open(
                        BlockImages.resolveBacking(Path.of(o.filename()), newBacking),
                        OpenOptions.readOnlyOptions().withFormat(fmt));
                try {
                    if (fresh != null && fmt == null) {
                        fmt = fresh.driverName();
                    }
                    copyDifferences(q, fresh);
                } finally {
                    if (fresh != null) {
                        fresh.close();
                    }
                }
            } else if (newBacking != null && fmt == null) {
                return Images.fail(err, "Could not change the backing file to '" + newBacking
                        + "': backing format must be specified");
            }
            Qcow2Edits.changeBacking(q, newBacking, fmt);
            return 0;
        } catch (BlockException e) {
            return Images.fail(err, e.getMessage());
        }
    }

    private static void copyDifferences(Qcow2Image top, BlockNode fresh) {
        BlockNode old = top.backing().orElse(null);
        long size = top.size();
        byte[] a = new byte[CHUNK], b = new byte[CHUNK];
        for (long at = 0; at < size; ) {
            Extent x = top.status(at, Math.min(CHUNK, size - at));
            int n = (int) x.length();
            if (x.state() == Extent.State.UNALLOCATED) {
                readOrZero(old, at, a, n);
                readOrZero(fresh, at, b, n);
                if (!Arrays.equals(a, 0, n, b, 0, n)) {
                    top.write(at, a, 0, n);
                }
            }
            at += n;
        }
        top.flush();
    }

    private static void readOrZero(BlockNode n, long at, byte[] buf, int len) {
        Arrays.fill(buf, 0, len, (byte) 0);
        if (n != null && at < n.size()) {
            n.read(at, buf, 0, (int) Math.min(len, n.size() - at));
        }
    }
}
