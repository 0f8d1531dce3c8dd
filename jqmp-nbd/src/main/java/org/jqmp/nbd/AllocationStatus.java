package org.jqmp.nbd;

import java.util.Optional;
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;

/**
 * The {@code base:allocation} meta context over a whole backing chain, as QEMU computes it for NBD
 * (proto.md "base:allocation": NBD_STATE_HOLE = bit 0, NBD_STATE_ZERO = bit 1): data in some layer is
 * 0; a zero run, or a run no layer allocates, is HOLE|ZERO.
 */
final class AllocationStatus {
    private AllocationStatus() {
    }

    /** One run of equal state. */
    record Run(long length, int flags) {
        boolean readsAsZero() {
            return (flags & Nbd.STATE_ZERO) != 0;
        }
    }

    private static final int ZERO = Nbd.STATE_HOLE | Nbd.STATE_ZERO;

    /** The state at {@code offset}, for a run of at most {@code length} (> 0) bytes inside the node. */
    static Run at(BlockNode node, long offset, long length) {
        Extent e = node.status(offset, length);
        long len = e.length() > 0 ? Math.min(e.length(), length) : length;
        return switch (e.state()) {
            case DATA -> new Run(len, 0);
            case ZERO -> new Run(len, ZERO);
            case UNALLOCATED -> below(node.backing(), offset, len);
        };
    }

    private static Run below(Optional<BlockNode> backing, long offset, long len) {
        if (backing.isEmpty() || offset >= backing.get().size()) {
            // qcow2 spec: unallocated clusters without a backing file (or past its end) read as zeroes
            return new Run(len, ZERO);
        }
        BlockNode b = backing.get();
        return at(b, offset, Math.min(len, b.size() - offset));
    }
}
