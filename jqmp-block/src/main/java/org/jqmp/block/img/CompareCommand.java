package org.jqmp.block.img;

import java.io.PrintStream;
import java.util.Arrays;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockNode;

/**
 * {@code qemu-img compare [-f fmt] [-F fmt] [-s] [-U] img1 img2}: 0 identical, 1 different, 2 error. Without
 * {@code -s} a size difference is fine if the extra part of the larger image reads as zeroes; with it, sizes must
 * match and so must the block status of the two chains ({@link ChainStatus}), as in qemu-img.
 */
public final class CompareCommand {
    public record Options(String first, String firstFormat, String second, String secondFormat, boolean strict,
                          boolean forceShare) {
    }

    private static final int CHUNK = 1 << 20;

    private CompareCommand() {
    }

    public static int run(Options o, PrintStream out, PrintStream err) {
        try (BlockNode a = Images.open(o.first(), o.firstFormat(), true, o.forceShare(), true);
             BlockNode b = Images.open(o.second(), o.secondFormat(), true, o.forceShare(), true)) {
            if (o.strict() && a.size() != b.size()) {
                out.println("Strict mode: Image size mismatch!");
                return 1;
            }
            long common = Math.min(a.size(), b.size());
            long statusMismatch = o.strict() ? firstStatusMismatch(a, b) : -1;
            long limit = statusMismatch >= 0 ? statusMismatch : common;
            byte[] x = new byte[CHUNK], y = new byte[CHUNK];
            for (long at = 0; at < limit; at += CHUNK) {
                int n = (int) Math.min(CHUNK, limit - at);
                a.read(at, x, 0, n);
                b.read(at, y, 0, n);
                int i = Arrays.mismatch(x, 0, n, y, 0, n);
                if (i >= 0) {
                    // qemu-img compares whole 512-byte sectors and names the first differing one
                    out.printf("Content mismatch at offset %d!%n", (at + i) & ~511L);
                    return 1;
                }
            }
            if (statusMismatch >= 0) {
                out.printf("Strict mode: Offset %d block status mismatch!%n", statusMismatch);
                return 1;
            }
            BlockNode longer = a.size() > b.size() ? a : b;
            for (long at = common; at < longer.size(); at += CHUNK) {
                int n = (int) Math.min(CHUNK, longer.size() - at);
                longer.read(at, x, 0, n);
                for (int i = 0; i < n; i++) {
                    if (x[i] != 0) {
                        out.printf("Content mismatch at offset %d!%n", (at + i) & ~511L);
                        return 1;
                    }
                }
            }
            if (a.size() != b.size()) {
                out.println("Warning: Image size mismatch!");
            }
            out.println("Images are identical.");
            return 0;
        } catch (BlockException e) {
            Images.fail(err, e.getMessage());
            return 2;
        }
    }

    /**
     * Strict mode: where the two chains' block status first differs (allocation, zero, data, end of file), -1 when
     * it never does. A content difference before it is reported first, as qemu-img walks both in one pass.
     */
    private static long firstStatusMismatch(BlockNode a, BlockNode b) {
        long size = a.size();
        for (long at = 0; at < size; ) {
            ChainStatus.Run x = ChainStatus.above(a, at, size - at), y = ChainStatus.above(b, at, size - at);
            if (x.flags() != y.flags()) {
                return at;
            }
            at += Math.max(1, Math.min(x.length(), y.length()));
        }
        return -1;
    }
}
