package org.jqmp.block.qcow2;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockLimits;
import org.jqmp.block.Preallocation;
import org.jqmp.block.Qcow2Options;
import org.jqmp.block.file.FileProtocol;

/**
 * Creates qcow2 images the way QEMU does: a minimal image (header in cluster 0, refcount table in cluster 1,
 * one refcount block in cluster 2), then a resize to the requested size through the normal allocator (so
 * the L1 table lands in cluster 3, as in QEMU's images), then preallocation.
 */
public final class Qcow2Creator {
    private Qcow2Creator() {
    }

    /** QEMU's option checks, with its messages. */
    public static void validate(String name, Qcow2Options o) {
        int cs = o.clusterSize();
        if (cs < 512 || cs > (2 << 20) || Integer.bitCount(cs) != 1) {
            throw new BlockException(name, "Cluster size must be a power of two between 512 and 2048k");
        }
        if (!List.of("0.10", "1.1", "v2", "v3").contains(o.compat())) {
            throw new BlockException(name, "Invalid parameter '" + o.compat() + "'");
        }
        int rb = o.refcountBits();
        if (rb < 1 || rb > 64 || Integer.bitCount(rb) != 1) {
            throw new BlockException(name, "Refcount width must be a power of two and may not exceed 64 bits");
        }
        if (o.version() == 2 && rb != 16) {
            throw new BlockException(name, "Different refcount widths than 16 bits require compatibility level 1.1 "
                    + "or above (use version=v3 or greater)");
        }
        if (o.version() == 2 && o.lazyRefcounts()) {
            throw new BlockException(name, "Lazy refcounts only supported with compatibility level 1.1 and above "
                    + "(use version=v3 or greater)");
        }
        if (o.backingFormat() != null && o.backingFile() == null) {
            throw new BlockException(name, "Backing format cannot be used without backing file");
        }
        if (o.backingFile() != null && o.preallocation() != Preallocation.OFF) {
            throw new BlockException(name, "Backing file and preallocation can only be used at the same time if "
                    + "extended_l2 is on");
        }
        if (o.size() < 0) {
            throw new BlockException(name, "Image size must be given (or a backing file to take it from)");
        }
    }

    public static void create(Path path, String name, Qcow2Options o) {
        validate(name, o);
        FileProtocol.create(path, name, 0);
        FileProtocol file = FileProtocol.open(path, name, false, true, false);
        try {
            writeMinimalImage(file, o);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
        try (Qcow2Image img = Qcow2Image.open(file, false, BlockLimits.DEFAULT, null)) {
            img.resize((o.size() + 511) & ~511L); // QEMU rounds the size up to whole sectors
            if (o.preallocation() != Preallocation.OFF) {
                preallocate(img, file, o.preallocation());
            }
        }
    }

    private static void writeMinimalImage(FileProtocol file, Qcow2Options o) {
        int cs = o.clusterSize(), cb = Integer.numberOfTrailingZeros(cs);
        int version = o.version();
        int order = Integer.numberOfTrailingZeros(o.refcountBits());
        Qcow2Header h = new Qcow2Header(version, 0, 0, cb, 0, 0, 0, 0, cs, 1, 0, 0, 0,
                o.lazyRefcounts() ? Qcow2Header.COMPAT_LAZY_REFCOUNTS : 0, 0, order,
                version == 3 ? Qcow2Header.V3_LENGTH : Qcow2Header.V2_LENGTH, 0,
                List.of(), null).withBacking(o.backingFile(), o.backingFormat());
        byte[] header = h.encode();
        file.write(0, header, 0, cs);
        byte[] table = new byte[cs];
        ByteBuffer.wrap(table).putLong(0, 2L * cs);
        file.write(cs, table, 0, cs);
        RefcountBlock block = new RefcountBlock(2L * cs, new byte[cs], order);
        for (int i = 0; i < 3; i++) {
            block.set(i, 1);
        }
        file.write(2L * cs, block.data, 0, cs);
        file.flush();
    }

    /** Allocates an L2 table and data clusters for every guest cluster, then reserves or writes the data. */
    private static void preallocate(Qcow2Image img, FileProtocol file, Preallocation mode) {
        int cs = img.clusterSize(), cb = img.clusterBits();
        long clusters = (img.size() + cs - 1) >>> cb;
        long perTable = cs / 8;
        long dataEnd = 0;
        java.util.List<long[]> runs = new java.util.ArrayList<>();
        img.metadataLock().lock();
        try {
            for (long vc = 0; vc < clusters; ) {
                L2Cache.Table t = img.clusters().l2ForWrite(vc);
                int n = (int) Math.min(Math.min(clusters - vc, perTable - (vc % perTable)), img.refcounts().maxRun());
                long host = img.allocateClusters(n);
                for (int i = 0; i < n; i++) {
                    t.set(img.clusters().l2Index(vc + i), (host + ((long) i << cb)) | Qcow2Image.COPIED);
                }
                runs.add(new long[] {host, host + ((long) n << cb)});
                dataEnd = Math.max(dataEnd, host + ((long) n << cb));
                vc += n;
            }
        } finally {
            img.metadataLock().unlock();
        }
        if (clusters == 0) {
            return;
        }
        for (long[] run : runs) {
            switch (mode) {
                case FALLOC -> {
                    if (!file.allocate(run[0], run[1] - run[0])) {
                        writeZeroBytes(file, run[0], run[1]);
                    }
                }
                case FULL -> writeZeroBytes(file, run[0], run[1]);
                default -> {
                }
            }
        }
        if (file.size() < dataEnd) {
            file.resize(dataEnd);
        }
        img.flush();
    }

    private static void writeZeroBytes(FileProtocol file, long start, long end) {
        byte[] zeroes = new byte[1 << 20];
        for (long at = start; at < end; at += zeroes.length) {
            file.write(at, zeroes, 0, (int) Math.min(zeroes.length, end - at));
        }
    }
}
