package org.jqmp.nbd;

/** The protocol's numbers, from doc/proto.md of the NBD project. All integers on the wire are big-endian. */
final class Nbd {
    private Nbd() {
    }

    // Handshake ("Newstyle negotiation")
    static final long NBDMAGIC = 0x4e42444d41474943L;
    static final long IHAVEOPT = 0x49484156454F5054L;
    static final long OPTION_REPLY_MAGIC = 0x3e889045565a9L;
    static final int FLAG_FIXED_NEWSTYLE = 1, FLAG_NO_ZEROES = 2;
    static final int CLIENT_FLAGS_KNOWN = FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES;

    // Options
    static final int OPT_EXPORT_NAME = 1, OPT_ABORT = 2, OPT_LIST = 3, OPT_STARTTLS = 5, OPT_INFO = 6, OPT_GO = 7,
            OPT_STRUCTURED_REPLY = 8, OPT_LIST_META_CONTEXT = 9, OPT_SET_META_CONTEXT = 10;

    // Option replies; errors have bit 31 set
    static final int REP_ACK = 1, REP_SERVER = 2, REP_INFO = 3, REP_META_CONTEXT = 4;
    static final int REP_ERR_UNSUP = 0x80000001, REP_ERR_POLICY = 0x80000002, REP_ERR_INVALID = 0x80000003,
            REP_ERR_UNKNOWN = 0x80000006, REP_ERR_TOO_BIG = 0x80000009;

    // NBD_REP_INFO types
    static final int INFO_EXPORT = 0, INFO_NAME = 1, INFO_DESCRIPTION = 2, INFO_BLOCK_SIZE = 3;

    // Transmission flags
    static final int TFLAG_HAS_FLAGS = 1, TFLAG_READ_ONLY = 1 << 1, TFLAG_SEND_FLUSH = 1 << 2,
            TFLAG_SEND_FUA = 1 << 3, TFLAG_SEND_TRIM = 1 << 5, TFLAG_SEND_WRITE_ZEROES = 1 << 6,
            TFLAG_SEND_DF = 1 << 7, TFLAG_CAN_MULTI_CONN = 1 << 8, TFLAG_SEND_CACHE = 1 << 10,
            TFLAG_SEND_FAST_ZERO = 1 << 11;

    // Requests
    static final int REQUEST_MAGIC = 0x25609513;
    static final int REQUEST_SIZE = 28;
    static final int CMD_READ = 0, CMD_WRITE = 1, CMD_DISC = 2, CMD_FLUSH = 3, CMD_TRIM = 4, CMD_CACHE = 5,
            CMD_WRITE_ZEROES = 6, CMD_BLOCK_STATUS = 7;
    static final int CMD_FLAG_FUA = 1, CMD_FLAG_NO_HOLE = 1 << 1, CMD_FLAG_DF = 1 << 2, CMD_FLAG_REQ_ONE = 1 << 3,
            CMD_FLAG_FAST_ZERO = 1 << 4;

    // Replies
    static final int SIMPLE_REPLY_MAGIC = 0x67446698;
    static final int STRUCTURED_REPLY_MAGIC = 0x668e33ef;
    static final int REPLY_FLAG_DONE = 1;
    static final int REPLY_TYPE_NONE = 0, REPLY_TYPE_OFFSET_DATA = 1, REPLY_TYPE_OFFSET_HOLE = 2,
            REPLY_TYPE_BLOCK_STATUS = 5, REPLY_TYPE_ERROR = (1 << 15) + 1;

    // Errors (proto.md "Error values"; they are Linux errno values)
    static final int EPERM = 1, EIO = 5, ENOMEM = 12, EINVAL = 22, ENOSPC = 28, EOVERFLOW = 75, ENOTSUP = 95,
            ESHUTDOWN = 108;

    // base:allocation
    static final String BASE_ALLOCATION = "base:allocation";
    static final int BASE_ALLOCATION_ID = 0;
    static final int STATE_HOLE = 1, STATE_ZERO = 2;

    /** QEMU advertises a preferred block size of 4 KiB and a minimum of 1 (no alignment needed). */
    static final int MIN_BLOCK = 1, PREFERRED_BLOCK = 4096;
}
