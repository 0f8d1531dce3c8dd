package org.jqmp.block.debug;

import java.util.Objects;
import java.util.Set;

/**
 * An {@code inject-error} rule ({@code BlkdebugInjectErrorOptions}): once {@code event} fired while the filter is in
 * {@code state} (0: any state), requests of the {@code ioTypes} that cover byte {@code sector * 512} (or any request
 * when {@code sector} is -1) fail with {@code errno}; a {@code once} rule goes away after its first failure.
 *
 * @param immediately QEMU fails the request without first yielding its coroutine; jqmp's requests always fail at
 *                    once, so this only travels with the rule
 */
public record InjectErrorRule(DebugEvent event, long state, Set<DebugIoType> ioTypes, int errno, long sector,
                              boolean once, boolean immediately) {
    /** EIO, the errno of a rule that names none. */
    public static final int EIO = 5;

    public InjectErrorRule {
        Objects.requireNonNull(event, "event");
        ioTypes = Set.copyOf(ioTypes);
    }

    /** A rule with QEMU's defaults: any state, every kind but block-status, EIO, any sector, not once. */
    public static InjectErrorRule on(DebugEvent event) {
        return new InjectErrorRule(event, 0, DebugIoType.DEFAULT, EIO, -1, false, false);
    }

    public InjectErrorRule withErrno(int value) {
        return new InjectErrorRule(event, state, ioTypes, value, sector, once, immediately);
    }

    public InjectErrorRule withSector(long value) {
        return new InjectErrorRule(event, state, ioTypes, errno, value, once, immediately);
    }

    public InjectErrorRule withOnce(boolean value) {
        return new InjectErrorRule(event, state, ioTypes, errno, sector, value, immediately);
    }

    public InjectErrorRule withState(long value) {
        return new InjectErrorRule(event, value, ioTypes, errno, sector, once, immediately);
    }

    /** Only requests of {@code type} ({@code iotype} names one kind). */
    public InjectErrorRule withIoType(DebugIoType type) {
        return new InjectErrorRule(event, state, Set.of(type), errno, sector, once, immediately);
    }

    /**
     * Whether a request of {@code type} over {@code [offset, offset + bytes)} is selected ({@code rule_check}): a
     * sector rule needs a request of at least one byte that covers the sector's first byte, so a flush (no range)
     * only meets rules for any sector. A negative sector other than -1 never matches (QEMU's offset wraps).
     */
    boolean selects(DebugIoType type, long offset, long bytes) {
        if (!ioTypes.contains(type)) {
            return false;
        }
        if (sector == -1) {
            return true;
        }
        if (sector < 0 || sector > Long.MAX_VALUE / 512) {
            return false;
        }
        long at = sector * 512;
        return bytes > 0 && at >= offset && at - offset < bytes;
    }
}
