package org.jqmp.block.img;

import java.io.PrintStream;
import java.nio.file.Path;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockNode;
import org.jqmp.block.OpenOptions;

/** What every subcommand shares: opening with qemu-img's error wording, and printing errors. */
final class Images {
    static final String PROGRAM = "jqmp img";

    private Images() {
    }

    static BlockNode open(String filename, String format, boolean readOnly, boolean forceShare, boolean backing) {
        OpenOptions o = new OpenOptions(readOnly, format, true, forceShare && readOnly, backing, null);
        try {
            return BlockImages.open(Path.of(filename), o);
        } catch (BlockException e) {
            String m = e.getMessage();
            // QEMU wraps the protocol layer's "Could not open 'x': reason" once more at the format layer
            throw new BlockException(filename, "Could not open '" + filename + "': " + m, e);
        }
    }

    static int fail(PrintStream err, String message) {
        err.println(PROGRAM + ": " + message);
        return 1;
    }

    /** QEMU's path_combine: a relative backing name is relative to the directory of the image's name. */
    static String fullBackingName(String image, String backing) {
        if (backing.startsWith("/")) {
            return backing;
        }
        int slash = image.lastIndexOf('/');
        return slash < 0 ? backing : image.substring(0, slash + 1) + backing;
    }
}
