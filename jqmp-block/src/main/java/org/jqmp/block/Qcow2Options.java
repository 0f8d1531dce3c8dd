package org.jqmp.block;

/**
 * Creation options of a qcow2 image, with QEMU's names and defaults.
 *
 * @param size          virtual size in bytes (-1: take the backing file's)
 * @param clusterSize   {@code cluster_size}, 512 B to 2 MiB, power of two (default 64 KiB)
 * @param backingFile   {@code backing_file} as stored in the header (relative to the image's directory)
 * @param backingFormat {@code backing_fmt}
 * @param compat        {@code compat}: "0.10" (version 2) or "1.1" (version 3, default)
 * @param lazyRefcounts {@code lazy_refcounts}
 * @param refcountBits  {@code refcount_bits}, power of two up to 64 (default 16)
 * @param preallocation {@code preallocation}
 */
public record Qcow2Options(long size, int clusterSize, String backingFile, String backingFormat, String compat,
                           boolean lazyRefcounts, int refcountBits, Preallocation preallocation) {
    public static Qcow2Options of(long size) {
        return new Qcow2Options(size, 65536, null, null, "1.1", false, 16, Preallocation.OFF);
    }

    public Qcow2Options withClusterSize(int cs) {
        return new Qcow2Options(size, cs, backingFile, backingFormat, compat, lazyRefcounts, refcountBits, preallocation);
    }

    public Qcow2Options withBacking(String file, String format) {
        return new Qcow2Options(size, clusterSize, file, format, compat, lazyRefcounts, refcountBits, preallocation);
    }

    public Qcow2Options withCompat(String c) {
        return new Qcow2Options(size, clusterSize, backingFile, backingFormat, c, lazyRefcounts, refcountBits, preallocation);
    }

    public Qcow2Options withLazyRefcounts(boolean on) {
        return new Qcow2Options(size, clusterSize, backingFile, backingFormat, compat, on, refcountBits, preallocation);
    }

    public Qcow2Options withRefcountBits(int bits) {
        return new Qcow2Options(size, clusterSize, backingFile, backingFormat, compat, lazyRefcounts, bits, preallocation);
    }

    public Qcow2Options withPreallocation(Preallocation p) {
        return new Qcow2Options(size, clusterSize, backingFile, backingFormat, compat, lazyRefcounts, refcountBits, p);
    }

    public Qcow2Options withSize(long s) {
        return new Qcow2Options(s, clusterSize, backingFile, backingFormat, compat, lazyRefcounts, refcountBits, preallocation);
    }

    public int version() {
        return "0.10".equals(compat) || "v2".equals(compat) ? 2 : 3;
    }
}
