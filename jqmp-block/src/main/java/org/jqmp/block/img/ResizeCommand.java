package org.jqmp.block.img;

import java.io.PrintStream;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockNode;

/** {@code qemu-img resize [-f fmt] [--shrink] [-q] filename [+|-]size}. */
public final class ResizeCommand {
    public record Options(String filename, String format, String size, boolean shrink, boolean quiet) {
    }

    private ResizeCommand() {
    }

    public static int run(Options o, PrintStream out, PrintStream err) {
        try (BlockNode n = Images.open(o.filename(), o.format(), false, false, true)) {
            String s = o.size();
            long current = n.size();
            long target = s.startsWith("+") ? current + Sizes.parse(s.substring(1))
                    : s.startsWith("-") ? current - Sizes.parse(s.substring(1)) : Sizes.parse(s);
            if (target < 0) {
                return Images.fail(err, "New image size must be positive");
            }
            if (target < current && !o.shrink()) {
                // qemu-img 7.2 reports the error first, then the warning
                Images.fail(err, "Use the --shrink option to perform a shrink operation.");
                err.println(Images.PROGRAM + ": warning: Shrinking an image will delete all data beyond the shrunken "
                        + "image's end. Before performing such an operation, make sure there is no important data there.");
                return 1;
            }
            n.resize(n.driverName().equals("qcow2") ? (target + 511) & ~511L : target);
            n.flush();
            if (!o.quiet()) {
                out.println("Image resized.");
            }
            return 0;
        } catch (BlockException | IllegalArgumentException e) {
            return Images.fail(err, e.getMessage());
        }
    }
}
