package org.jqmp.nbd;

/**
 * What makes a request invalid before it touches the node, in QEMU's order and with its errors (proto.md
 * "Request types" and "Error values"): unknown command or flag, past the end of the export, oversized read
 * -> EINVAL; a write of any kind on a read-only export -> EPERM; FAST_ZERO -> ENOTSUP.
 */
final class RequestChecks {
    /** Why a request is refused. */
    record Refusal(int error, String message) {
    }

    private final OptionHaggling.Negotiated agreed;
    private final NbdLimits limits;
    private final long size;

    RequestChecks(OptionHaggling.Negotiated agreed, NbdLimits limits) {
        this.agreed = agreed;
        this.limits = limits;
        this.size = agreed.export().node().size();
    }

    /** Null when the request may be served. */
    Refusal check(Transmission.Request r) {
        int allowed = allowedFlags(r.type());
        if (allowed < 0) {
            return new Refusal(Nbd.EINVAL, "unsupported command " + r.type());
        }
        if ((r.flags() & ~allowed) != 0) {
            return new Refusal(Nbd.EINVAL, "unsupported flags 0x" + Integer.toHexString(r.flags())
                    + " for command " + r.type());
        }
        if (r.type() == Nbd.CMD_READ && r.length() > limits.maxPayload()) {
            return new Refusal(Nbd.EINVAL, limits.violation(null, "read length", r.length(), "maxPayload",
                    limits.maxPayload()).getMessage());
        }
        if (r.type() != Nbd.CMD_FLUSH && (r.offset() < 0 || r.offset() > size || r.length() > size - r.offset())) {
            return new Refusal(Nbd.EINVAL, "operation past EOF: offset " + Long.toUnsignedString(r.offset())
                    + " + length " + r.length() + " > export size " + size);
        }
        if (isWrite(r.type()) && !agreed.export().writable()) {
            return new Refusal(Nbd.EPERM, "export '" + agreed.export().name() + "' is read-only");
        }
        return semantic(r);
    }

    private Refusal semantic(Transmission.Request r) {
        if (r.type() == Nbd.CMD_BLOCK_STATUS && (!agreed.baseAllocation() || r.length() == 0)) {
            return new Refusal(Nbd.EINVAL, agreed.baseAllocation() ? "block status of length 0"
                    : "no meta context was negotiated for block status");
        }
        if (r.type() == Nbd.CMD_WRITE_ZEROES && r.has(Nbd.CMD_FLAG_FAST_ZERO)) {
            // NBD_CMD_FLAG_FAST_ZERO: fail at once rather than fall back to writing; this node cannot promise
            // a fast zero, and a quick ENOTSUP lets the client pick a cheaper plan (QEMU: BDRV_REQ_NO_FALLBACK)
            return new Refusal(Nbd.ENOTSUP, "fast zero not supported for this range");
        }
        return null;
    }

    /** The command flags valid for a command, or -1 for an unknown command. */
    private int allowedFlags(int type) {
        return switch (type) {
            case Nbd.CMD_READ -> agreed.structuredReplies() ? Nbd.CMD_FLAG_DF : 0;
            case Nbd.CMD_WRITE, Nbd.CMD_TRIM -> Nbd.CMD_FLAG_FUA;
            case Nbd.CMD_WRITE_ZEROES -> Nbd.CMD_FLAG_FUA | Nbd.CMD_FLAG_NO_HOLE | Nbd.CMD_FLAG_FAST_ZERO;
            case Nbd.CMD_FLUSH, Nbd.CMD_CACHE -> 0;
            case Nbd.CMD_BLOCK_STATUS -> Nbd.CMD_FLAG_REQ_ONE;
            default -> -1;
        };
    }

    private static boolean isWrite(int type) {
        return type == Nbd.CMD_WRITE || type == Nbd.CMD_TRIM || type == Nbd.CMD_WRITE_ZEROES;
    }
}
