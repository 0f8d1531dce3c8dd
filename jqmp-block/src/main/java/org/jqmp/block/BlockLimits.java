package org.jqmp.block;

/**
 * Every bound jqmp-block puts on untrusted image metadata, in one place. An image that exceeds one gets a
 * {@link BlockException} naming the image and the limit ({@link #violation}).
 *
 * @param maxL1Entries        largest L1 table accepted (QEMU: 32 MiB of L1 = 4 Mi entries)
 * @param maxRefcountTableBytes largest refcount table accepted (QEMU: 8 MiB)
 * @param maxVirtualSize      largest virtual disk size (QEMU: 2^63 - 512 for qcow2 is theoretical; we cap)
 * @param maxBackingDepth     longest backing chain opened
 * @param maxHeaderExtensionBytes largest single header extension kept
 * @param maxSnapshots        most internal snapshots listed (QEMU: 65536)
 * @param l2CacheBytes        memory for cached L2 tables per image
 * @param refcountCacheBytes  memory for cached refcount blocks per image
 */
public record BlockLimits(long maxL1Entries, long maxRefcountTableBytes, long maxVirtualSize, int maxBackingDepth,
                          int maxHeaderExtensionBytes, int maxSnapshots, long l2CacheBytes, long refcountCacheBytes) {

    public static final BlockLimits DEFAULT = new BlockLimits(
            32L * 1024 * 1024 / 8, 8L * 1024 * 1024, 1L << 55, 64, 65536, 65536, 4L << 20, 1L << 20);

    public BlockLimits {
        if (maxBackingDepth < 1 || l2CacheBytes < 1 || refcountCacheBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public BlockLimits withL2CacheBytes(long bytes) {
        return new BlockLimits(maxL1Entries, maxRefcountTableBytes, maxVirtualSize, maxBackingDepth,
                maxHeaderExtensionBytes, maxSnapshots, bytes, refcountCacheBytes);
    }

    /** The error for an image whose value exceeds a named limit. */
    public BlockException violation(String image, String what, long value, String limitName, long limit) {
        return new BlockException(image, what + " " + value + " exceeds the limit " + limitName + " = " + limit);
    }
}
