package org.jqmp.block;

/**
 * How to open an image.
 *
 * @param readOnly    open without write permission
 * @param format      "raw", "qcow2" or null to probe (QEMU probes by magic; raw otherwise)
 * @param locking     take QEMU-compatible OFD locks on the file (QEMU's {@code file.locking})
 * @param forceShare  qemu-img's {@code -U}: share every permission (read-only opens only)
 * @param openBacking open the backing chain (qemu-img's {@code -u} paths skip it)
 * @param limits      bounds on untrusted metadata
 */
public record OpenOptions(boolean readOnly, String format, boolean locking, boolean forceShare,
                          boolean openBacking, BlockLimits limits) {
    public OpenOptions {
        if (limits == null) {
            limits = BlockLimits.DEFAULT;
        }
        if (forceShare && !readOnly) {
            throw new IllegalArgumentException("force-share=on can only be used with read-only images");
        }
    }

    public static OpenOptions readWrite() {
        return new OpenOptions(false, null, true, false, true, BlockLimits.DEFAULT);
    }

    public static OpenOptions readOnlyOptions() {
        return new OpenOptions(true, null, true, false, true, BlockLimits.DEFAULT);
    }

    public OpenOptions withFormat(String f) {
        return new OpenOptions(readOnly, f, locking, forceShare, openBacking, limits);
    }

    public OpenOptions withReadOnly(boolean ro) {
        return new OpenOptions(ro, format, locking, forceShare && ro, openBacking, limits);
    }

    public OpenOptions withForceShare(boolean share) {
        return new OpenOptions(readOnly, format, locking, share, openBacking, limits);
    }

    public OpenOptions withBacking(boolean open) {
        return new OpenOptions(readOnly, format, locking, forceShare, open, limits);
    }

    public OpenOptions withLocking(boolean on) {
        return new OpenOptions(readOnly, format, on, forceShare, openBacking, limits);
    }

    public OpenOptions withLimits(BlockLimits l) {
        return new OpenOptions(readOnly, format, locking, forceShare, openBacking, l);
    }
}
