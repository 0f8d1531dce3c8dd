package org.jqmp.machine.block;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockImages;
import org.jqmp.block.Qcow2Options;

/**
 * Creating the overlay image of an external snapshot ({@code bdrv_img_create} as {@code blockdev-snapshot-sync}
 * calls it): a qcow2 image as large as the node, whose backing file is the node's file name and format, with
 * QEMU's checks and its {@code Formatting '...'} line on standard output.
 */
final class Overlays {
    private Overlays() {
    }

    static void create(String file, String format, Node base, Consumer<String> out) {
        switch (format) {
            case "qcow2" -> { }
            case "raw" -> throw QmpException.generic("Backing file not supported for file format 'raw'");
            default -> throw QmpException.generic(BlockGraph.OTHER_FORMATS.contains(format)
                    ? "Format '" + format + "' is not supported by jqmp for new images (it creates qcow2 overlays)"
                    : "Unknown file format '" + format + "'");
        }
        String backing = base.filename();
        if (Path.of(file).toAbsolutePath().normalize().equals(Path.of(backing).toAbsolutePath().normalize())) {
            throw QmpException.generic("Error: Trying to create an image with the same filename as the backing file");
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw QmpException.generic("Could not create '" + file + "': No such file or directory");
        }
        long size = base.driver().size();
        out.accept("Formatting '" + file + "', fmt=qcow2 cluster_size=65536 extended_l2=off compression_type=zlib size="
                + size + " backing_file=" + backing + " backing_fmt=" + base.driverName()
                + " lazy_refcounts=off refcount_bits=16");
        try {
            BlockImages.createQcow2(Path.of(file), Qcow2Options.of(size).withBacking(backing, base.driverName()));
        } catch (BlockException e) {
            throw QmpException.generic(e.getMessage());
        }
    }
}
