package org.jqmp.block.img;

import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;

/**
 * QEMU's block status of a whole backing chain ({@code bdrv_block_status_above} with no base), as flags, for
 * {@code compare -s}, which calls two ranges different when these flags differ - EOF included, so that a run
 * reaching the end of one image and not of the other is a difference too, as in qemu-img.
 */
final class ChainStatus {
    // QEMU's BDRV_BLOCK_* bits
    static final int DATA = 0x01, ZERO = 0x02, OFFSET_VALID = 0x04, ALLOCATED = 0x10, EOF = 0x20;

    /** Flags of the run at an offset and its length. */
    record Run(int flags, long length) {
    }

    private ChainStatus() {
    }

    /** The chain's status from {@code offset}, at most {@code bytes} (QEMU's order: top first, then below). */
    static Run above(BlockNode top, long offset, long bytes) {
        Run r = layer(top, offset, bytes);
        if (r.length() == 0 || (r.flags() & ALLOCATED) != 0) {
            return r;
        }
        long eof = (r.flags() & EOF) != 0 ? offset + r.length() : -1;
        long limit = r.length();
        for (BlockNode p = top.backing().orElse(null); p != null; p = p.backing().orElse(null)) {
            r = layer(p, offset, limit);
            if (r.length() == 0) { // below the end of a shorter backing file: zeroes of the upper layer
                r = new Run(ZERO | ALLOCATED, limit);
                break;
            }
            if ((r.flags() & ALLOCATED) != 0) {
                r = new Run(r.flags() & ~EOF, r.length());
                break;
            }
            limit = r.length();
        }
        return offset + r.length() == eof ? new Run(r.flags() | EOF, r.length()) : r;
    }

    /** One node's status (QEMU's bdrv_co_block_status): unallocated with nothing below reads as zero. */
    private static Run layer(BlockNode n, long offset, long bytes) {
        long size = n.size();
        if (offset >= size) {
            return new Run(EOF, 0);
        }
        Extent x = n.status(offset, Math.min(bytes, size - offset));
        long len = x.length() <= 0 ? Math.min(bytes, size - offset) : x.length();
        int flags = switch (x.state()) {
            case DATA -> DATA | ALLOCATED;
            case ZERO -> ZERO | ALLOCATED;
            case UNALLOCATED -> n.backing().isEmpty() || offset >= n.backing().get().size() ? ZERO : 0;
        };
        if (x.hostOffset() >= 0 && x.state() != Extent.State.UNALLOCATED) {
            flags |= OFFSET_VALID;
        }
        return new Run(offset + len == size ? flags | EOF : flags, len);
    }
}
