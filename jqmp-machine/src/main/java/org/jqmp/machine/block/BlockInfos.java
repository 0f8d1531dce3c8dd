package org.jqmp.machine.block;

import java.util.List;
import java.util.Optional;
import org.jqmp.api.BlockDeviceInfo;
import org.jqmp.api.BlockDeviceStats;
import org.jqmp.api.BlockInfo;
import org.jqmp.api.BlockStats;
import org.jqmp.api.BlockStatsSpecific;
import org.jqmp.api.BlockStatsSpecificFile;
import org.jqmp.api.BlockdevCacheInfo;
import org.jqmp.api.BlockdevDetectZeroesOptions;
import org.jqmp.api.ImageInfo;
import org.jqmp.api.ImageInfoSpecific;
import org.jqmp.api.ImageInfoSpecificQCow2;
import org.jqmp.api.ImageInfoSpecificQCow2Wrapper;
import org.jqmp.api.Qcow2CompressionType;
import org.jqmp.api.SnapshotInfo;
import org.jqmp.block.debug.BlkdebugFilter;
import org.jqmp.block.qcow2.Qcow2Image;
import org.jqmp.block.qcow2.Snapshot;
import org.jqmp.block.qcow2.Snapshots;

/**
 * What {@code query-block}, {@code query-named-block-nodes} and {@code query-blockstats} say about drives and
 * nodes, with QEMU 7.2's members ({@code block/qapi.c}: {@code bdrv_query_info}, {@code bdrv_block_device_info},
 * {@code bdrv_query_image_info}, {@code bdrv_query_bds_stats}).
 */
final class BlockInfos {
    private BlockInfos() {
    }

    /** @param cache the medium's cache flags (the drive's, unless the node was opened with its own) */
    static BlockInfo info(Drive drive, DriveConfig.CacheMode cache) {
        BlockDeviceInfo inserted = drive.medium().map(n -> deviceInfo(n, drive.readOnly(), cache)).orElse(null);
        return new BlockInfo(drive.name(), drive.qdev().orElse(null), "unknown", drive.removable(), drive.locked(),
                inserted, drive.hasTray() ? drive.trayOpen() : null,
                drive.ioStatusEnabled() ? drive.ioStatus() : null);
    }

    /** {@code bdrv_block_device_info}: the node as a medium (or as a named node). */
    static BlockDeviceInfo deviceInfo(Node node, boolean readOnly, DriveConfig.CacheMode cache) {
        // a backing node, once attached, gives its name (bdrv_backing_attach); without one, the header's text stays
        String backingFile = node.backing().map(Node::filename)
                .orElse(node.driver() instanceof Qcow2Image q ? q.backingFilename() : null);
        return new BlockDeviceInfo(node.filename(), node.name(), readOnly, node.driverName(), backingFile,
                chainDepth(node), false, BlockdevDetectZeroesOptions.OFF, 0, 0, 0, 0, 0, 0, imageInfo(node),
                null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                new BlockdevCacheInfo(cache.writeback(), cache.direct(), cache.noFlush()), node.writeThreshold(), null);
    }

    /** {@code bdrv_query_image_info} with the backing chain below it. */
    static ImageInfo imageInfo(Node node) {
        Qcow2Image q = node.driver() instanceof Qcow2Image qi ? qi : null;
        String backing = q == null ? null : q.backingFilename();
        List<SnapshotInfo> snapshots = q != null && q.snapshotCount() > 0
                ? Snapshots.list(q).stream().map(BlockInfos::snapshot).toList() : null;
        ImageInfo below = chainBelow(node).map(BlockInfos::imageInfo).orElse(null);
        long allocated = node.driver().allocatedSize(); // negative: unknown, as QEMU's -ENOTSUP (no actual-size)
        return new ImageInfo(node.filename(), node.driverName(), q != null && q.isDirty(),
                allocated < 0 ? null : allocated, sectors(node.driver().size()), q == null ? null : (long) q.clusterSize(),
                null, null, backing, backing == null ? null : fullBackingName(plainName(node), backing),
                backing == null ? null : q.backingFormat(), snapshots, below, q == null ? null : qcow2(q));
    }

    /**
     * The next image of the chain {@code query-block} walks ({@code bdrv_filter_or_cow_bs}): the backing node, or
     * for a filter (blkdebug) its filtered child.
     */
    private static Optional<Node> chainBelow(Node node) {
        return node.driver() instanceof BlkdebugFilter ? node.file() : node.backing();
    }

    private static int chainDepth(Node node) {
        int depth = 0;
        for (Optional<Node> n = chainBelow(node); n.isPresent(); n = chainBelow(n.get())) {
            depth++;
        }
        return depth;
    }

    /** {@code bdrv_getlength}: QEMU counts whole 512-byte sectors, so a file's odd tail rounds up. */
    private static long sectors(long bytes) {
        return (bytes + 511) & ~511L;
    }

    private static ImageInfoSpecific qcow2(Qcow2Image q) {
        boolean v3 = q.version() == 3;
        return new ImageInfoSpecific.Qcow2(new ImageInfoSpecificQCow2Wrapper(new ImageInfoSpecificQCow2(
                v3 ? "1.1" : "0.10", null, null, v3 ? false : null, v3 ? q.lazyRefcounts() : null,
                v3 ? q.isCorrupt() : null, q.refcountBits(), null, null, Qcow2CompressionType.ZLIB)));
    }

    private static SnapshotInfo snapshot(Snapshot s) {
        return new SnapshotInfo(s.id(), s.name(), s.vmStateSize(), s.dateSeconds(), s.dateNanos(),
                s.vmClockNanos() / 1_000_000_000L, s.vmClockNanos() % 1_000_000_000L,
                s.icount() >= 0 ? s.icount() : null);
    }

    /** The node's name, or its file's where QEMU names the node by {@code json:} (the image's directory is the file's). */
    private static String plainName(Node node) {
        String name = node.filename();
        return name.startsWith("json:") && node.file().isPresent() ? node.file().get().filename() : name;
    }

    /** A relative backing name is relative to the directory of the image that names it. */
    static String fullBackingName(String image, String backing) {
        if (backing.startsWith("/")) {
            return backing;
        }
        int slash = image.lastIndexOf('/');
        return slash < 0 ? backing : image.substring(0, slash + 1) + backing;
    }

    /** A drive's entry: the drive's own counters on its root node, then the node's children. */
    static BlockStats driveStats(Drive drive) {
        Node root = drive.medium().orElse(null);
        BlockDeviceStats stats = drive.stats().snapshot(root == null ? 0 : root.wrHighestOffset());
        if (root == null) {
            return new BlockStats(drive.name(), drive.qdev().orElse(null), null, stats, null, null, null);
        }
        return new BlockStats(drive.name(), drive.qdev().orElse(null), root.name(), stats, specific(root),
                root.file().map(f -> nodeStats(f, true)).orElse(null),
                chainBelow(root).map(b -> nodeStats(b, true)).orElse(null));
    }

    /**
     * A node's entry: nothing counted (only drives count requests) but its highest written offset; its file
     * as {@code parent}; at drive level also its backing chain ({@code blk_level} in QEMU), in which QEMU 7.2
     * counts a filter's child too (observed: a blkdebug node's image is its {@code backing} there).
     */
    static BlockStats nodeStats(Node node, boolean driveLevel) {
        return new BlockStats(null, null, node.name(), IoAccounting.none(node.wrHighestOffset()), specific(node),
                node.file().map(f -> nodeStats(f, driveLevel)).orElse(null),
                driveLevel ? chainBelow(node).map(b -> nodeStats(b, true)).orElse(null) : null);
    }

    private static BlockStatsSpecific specific(Node node) {
        if (node.driver() instanceof FileTap tap) {
            return new BlockStatsSpecific.File(new BlockStatsSpecificFile(tap.discardOk.get(),
                    tap.discardFailed.get(), tap.discardBytesOk.get()));
        }
        return null;
    }
}
