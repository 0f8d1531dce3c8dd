package org.jqmp.block.debug;

import org.jqmp.block.BlockException;

/**
 * A request a blkdebug rule failed. Its message is {@code strerror} of the errno alone, as QEMU reports a failed
 * request (BLOCK_IO_ERROR's {@code reason}); the image and offset travel as {@link BlockException}'s context.
 */
public final class InjectedIoError extends BlockException {
    private final int errno;
    private final DebugIoType ioType;

    InjectedIoError(String image, long offset, int errno, DebugIoType ioType) {
        super(image, offset, Errno.text(errno), null);
        this.errno = errno;
        this.ioType = ioType;
    }

    /** The errno the rule named (5, EIO, unless it said otherwise). */
    public int errno() {
        return errno;
    }

    /** The kind of request that failed. */
    public DebugIoType ioType() {
        return ioType;
    }

    /** Whether the disk would be full ({@code ENOSPC}): what {@code werror=enospc} stops on. */
    public boolean isNoSpace() {
        return errno == Errno.ENOSPC;
    }
}
