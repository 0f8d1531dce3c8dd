package org.jqmp.block;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmp.block.file.FileProtocol;
import org.jqmp.block.qcow2.Qcow2Creator;
import org.jqmp.block.qcow2.Qcow2Image;
import org.jqmp.block.raw.RawFormat;

/**
 * Opening and creating images: the entry point of the block layer. Formats are probed as QEMU does (the qcow2
 * magic, else raw); backing files are resolved relative to the directory of the image naming them, opened
 * read-only, to any depth up to {@link BlockLimits#maxBackingDepth()}, and a chain that comes back to an image
 * already in it is refused.
 */
public final class BlockImages {
    private BlockImages() {
    }

    public static BlockNode open(Path path, OpenOptions o) {
        return open(path, path.toString(), o, new ArrayList<>());
    }

    private static BlockNode open(Path path, String name, OpenOptions o, List<Path> chain) {
        Path real = realPath(path, name);
        if (chain.contains(real)) {
            throw new BlockException(name, "Backing file chain loops: '" + name + "' is already in the chain "
                    + chain + "; a backing file cannot (indirectly) back itself");
        }
        if (chain.size() >= o.limits().maxBackingDepth()) {
            throw o.limits().violation(name, "Backing chain depth", chain.size() + 1, "maxBackingDepth",
                    o.limits().maxBackingDepth());
        }
        chain.add(real);
        FileProtocol file = FileProtocol.open(path, name, o.readOnly(), o.locking(), o.forceShare());
        try {
            String format = o.format() != null ? o.format() : probe(file);
            return switch (format) {
                case "raw" -> new RawFormat(file);
                case "qcow2" -> Qcow2Image.open(file, o.readOnly(), o.limits(), !o.openBacking() ? null
                        : (bf, fmt) -> openBacking(path, bf, fmt, o, chain));
                default -> throw new BlockException(name, "Unknown driver '" + format + "'");
            };
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static Path realPath(Path path, String name) {
        try {
            return path.toRealPath();
        } catch (java.io.IOException e) {
            throw new BlockException(name, "Could not open '" + name + "': No such file or directory", e);
        }
    }

    private static BlockNode openBacking(Path image, String backing, String format, OpenOptions o, List<Path> chain) {
        Path p = resolveBacking(image, backing);
        OpenOptions bo = new OpenOptions(true, format, o.locking(), o.forceShare(), true, o.limits());
        try {
            return open(p, p.toString(), bo, chain);
        } catch (BlockException e) {
            throw new BlockException(image.toString(), "Could not open backing file: " + e.getMessage(), e);
        }
    }

    /** QEMU's rule: a relative backing file name is relative to the directory of the image that names it. */
    public static Path resolveBacking(Path image, String backing) {
        Path b = Path.of(backing);
        if (b.isAbsolute()) {
            return b;
        }
        Path dir = image.toAbsolutePath().getParent();
        return dir == null ? b : dir.resolve(b).normalize();
    }

    /** QEMU's probe: the qcow2 magic at offset 0, anything else is raw. */
    public static String probe(BlockNode file) {
        byte[] head = file.read(0, (int) Math.min(4, file.size()));
        boolean qcow2 = head.length == 4 && (head[0] & 0xff) == 'Q' && (head[1] & 0xff) == 'F'
                && (head[2] & 0xff) == 'I' && (head[3] & 0xff) == 0xfb;
        return qcow2 ? "qcow2" : "raw";
    }

    /** Probes the format of a file without locking it. */
    public static String probe(Path path) {
        try (FileProtocol f = FileProtocol.open(path, path.toString(), true, false, true)) {
            return probe(f);
        }
    }

    /** Creates a raw image of {@code size} bytes (sparse). */
    public static void createRaw(Path path, long size) {
        if (size < 0) {
            throw new BlockException(path.toString(), "Image size must be given");
        }
        FileProtocol.create(path, path.toString(), size);
    }

    public static void createQcow2(Path path, Qcow2Options o) {
        if (o.size() < 0 && o.backingFile() != null) {
            try (BlockNode b = open(resolveBacking(path, o.backingFile()),
                    OpenOptions.readOnlyOptions().withFormat(o.backingFormat()))) {
                o = o.withSize(b.size());
            }
        }
        Qcow2Creator.create(path, path.toString(), o);
    }

    public static boolean exists(Path path) {
        return Files.exists(path);
    }
}
