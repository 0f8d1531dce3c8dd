package org.jqmp.block.debug;

import java.util.EnumSet;
import java.util.Set;

/** The kinds of request an inject-error rule can select: QEMU 7.2's {@code BlkdebugIOType}. */
public enum DebugIoType {
    READ("read"), WRITE("write"), WRITE_ZEROES("write-zeroes"), DISCARD("discard"), FLUSH("flush"),
    BLOCK_STATUS("block-status");

    /** A rule without {@code iotype} selects every kind but block-status ({@code BLKDEBUG_IOTYPE_MASK_DEFAULT}). */
    public static final Set<DebugIoType> DEFAULT = EnumSet.of(READ, WRITE, WRITE_ZEROES, DISCARD, FLUSH);

    private final String wireName;

    DebugIoType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The type named {@code name} as QEMU spells it; an {@link IllegalArgumentException} for any other name. */
    public static DebugIoType of(String name) {
        for (DebugIoType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("Unknown blkdebug iotype '" + name + "'");
    }
}
