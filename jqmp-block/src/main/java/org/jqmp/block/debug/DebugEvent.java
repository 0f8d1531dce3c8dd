package org.jqmp.block.debug;

import java.util.Locale;

/**
 * The points where a blkdebug rule can fire: QEMU 7.2's {@code BlkdebugEvent} ({@code qapi/block-core.json}), in
 * its order. Format drivers fire them on their {@code file} child ({@code BLKDBG_EVENT}); the generic write path
 * fires the {@code pwritev*} ones on the node written to.
 */
public enum DebugEvent {
    L1_UPDATE, L1_GROW_ALLOC_TABLE, L1_GROW_WRITE_TABLE, L1_GROW_ACTIVATE_TABLE, L2_LOAD, L2_UPDATE,
    L2_UPDATE_COMPRESSED, L2_ALLOC_COW_READ, L2_ALLOC_WRITE, READ_AIO, READ_BACKING_AIO, READ_COMPRESSED, WRITE_AIO,
    WRITE_COMPRESSED, VMSTATE_LOAD, VMSTATE_SAVE, COW_READ, COW_WRITE, REFTABLE_LOAD, REFTABLE_GROW,
    REFTABLE_UPDATE, REFBLOCK_LOAD, REFBLOCK_UPDATE, REFBLOCK_UPDATE_PART, REFBLOCK_ALLOC, REFBLOCK_ALLOC_HOOKUP,
    REFBLOCK_ALLOC_WRITE, REFBLOCK_ALLOC_WRITE_BLOCKS, REFBLOCK_ALLOC_WRITE_TABLE, REFBLOCK_ALLOC_SWITCH_TABLE,
    CLUSTER_ALLOC, CLUSTER_ALLOC_BYTES, CLUSTER_FREE, FLUSH_TO_OS, FLUSH_TO_DISK, PWRITEV_RMW_HEAD,
    PWRITEV_RMW_AFTER_HEAD, PWRITEV_RMW_TAIL, PWRITEV_RMW_AFTER_TAIL, PWRITEV, PWRITEV_ZERO, PWRITEV_DONE,
    EMPTY_IMAGE_PREPARE, L1_SHRINK_WRITE_TABLE, L1_SHRINK_FREE_L2_CLUSTERS, COR_WRITE, CLUSTER_ALLOC_SPACE, NONE;

    /** The name in QEMU's schema and config files ({@code read_aio}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The event named {@code name} as QEMU spells it; an {@link IllegalArgumentException} for any other name. */
    public static DebugEvent of(String name) {
        for (DebugEvent e : values()) {
            if (e.wireName().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("Unknown blkdebug event '" + name + "'");
    }
}
