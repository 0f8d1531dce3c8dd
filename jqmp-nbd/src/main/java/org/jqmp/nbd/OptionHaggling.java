package org.jqmp.nbd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed newstyle handshake, server side (proto.md "Fixed newstyle negotiation", "Option haggling"): greets,
 * answers options until NBD_OPT_GO or NBD_OPT_EXPORT_NAME picks an export, and says how transmission will run.
 * A client that breaks the protocol (bad magic, unknown client flags, oversized option) gets {@link Dropped}.
 */
final class OptionHaggling {
    /** What the handshake agreed on. */
    record Negotiated(NbdExport export, boolean structuredReplies, boolean baseAllocation, int transmissionFlags,
                      FlushBatch flushes) {
    }

    /** The connection must be closed without a word more (proto.md: bad magic, refused export name...). */
    static final class Dropped extends Exception {
        Dropped(String why) {
            super(why, null, false, false);
        }
    }

    /** The exports a handshake can see: the server's table minus those being removed. */
    interface ExportTable {
        NbdExport find(String name);

        List<NbdExport> listed();

        /**
         * Enters this client on the export before the handshake's last reply (so that a client that has its
         * ACK is already counted); returns the export's flushes, or null when it has gone meanwhile.
         */
        FlushBatch attach(NbdExport export);
    }

    private final ByteChannel channel;
    private final WireReader in;
    private final ExportTable exports;
    private final NbdLimits limits;
    private final String client;
    private boolean noZeroes;
    private boolean structured;
    private String metaExport;
    private boolean baseAllocation;

    OptionHaggling(ByteChannel channel, WireReader in, ExportTable exports, NbdLimits limits, String client) {
        this.channel = channel;
        this.in = in;
        this.exports = exports;
        this.limits = limits;
        this.client = client;
    }

    /** Runs the handshake; null when the client ended it with NBD_OPT_ABORT. */
    Negotiated run() throws IOException, Dropped {
        write(ByteBuffer.allocate(18).putLong(Nbd.NBDMAGIC).putLong(Nbd.IHAVEOPT)
                .putShort((short) (Nbd.FLAG_FIXED_NEWSTYLE | Nbd.FLAG_NO_ZEROES)).flip());
        int clientFlags = in.u32();
        if ((clientFlags & ~Nbd.CLIENT_FLAGS_KNOWN) != 0 || (clientFlags & Nbd.FLAG_FIXED_NEWSTYLE) == 0) {
            throw new Dropped("client flags 0x" + Integer.toHexString(clientFlags)
                    + " unsupported (this server speaks fixed newstyle only)");
        }
        noZeroes = (clientFlags & Nbd.FLAG_NO_ZEROES) != 0;
        for (int count = 1; ; count++) {
            if (count > limits.maxOptions()) {
                throw new Dropped(limits.violation(client, "option count", count, "maxOptions",
                        limits.maxOptions()).getMessage());
            }
            if (in.u64() != Nbd.IHAVEOPT) {
                throw new Dropped("bad option magic (expected IHAVEOPT)");
            }
            int option = in.u32();
            long length = in.u32() & 0xffffffffL;
            if (length > limits.maxOptionLength()) {
                optionReply(option, Nbd.REP_ERR_TOO_BIG, text(limits.violation(client, "option length", length,
                        "maxOptionLength", limits.maxOptionLength()).getMessage()));
                throw new Dropped("option " + option + " of " + length + " bytes exceeds maxOptionLength");
            }
            OptionData data = new OptionData(in.bytes((int) length));
            Negotiated done = answer(option, data);
            if (done != null) {
                return done == ABORTED ? null : done;
            }
        }
    }

    private static final Negotiated ABORTED = new Negotiated(null, false, false, 0, null);

    private Negotiated answer(int option, OptionData data) throws IOException, Dropped {
        try {
            return answerChecked(option, data);
        } catch (TooLong e) {
            return none(error(option, Nbd.REP_ERR_TOO_BIG, e.getMessage()));
        }
    }

    /** A string in an option's data longer than {@link NbdLimits#maxStringLength()}. */
    private static final class TooLong extends RuntimeException {
        TooLong(String message) {
            super(message, null, false, false);
        }
    }

    private Negotiated answerChecked(int option, OptionData data) throws IOException, Dropped {
        return switch (option) {
            case Nbd.OPT_EXPORT_NAME -> exportName(data);
            case Nbd.OPT_ABORT -> {
                optionReply(option, Nbd.REP_ACK, new byte[0]);
                yield ABORTED;
            }
            case Nbd.OPT_LIST -> none(list(data));
            case Nbd.OPT_INFO, Nbd.OPT_GO -> info(option, data);
            case Nbd.OPT_STRUCTURED_REPLY -> none(structuredReply(data));
            case Nbd.OPT_LIST_META_CONTEXT, Nbd.OPT_SET_META_CONTEXT -> none(metaContext(option, data));
            case Nbd.OPT_STARTTLS -> none(error(option, Nbd.REP_ERR_POLICY, "TLS not configured"));
            default -> none(error(option, Nbd.REP_ERR_UNSUP, "Unsupported option " + option));
        };
    }

    private static Negotiated none(boolean ignored) {
        return null;
    }

    /** proto.md NBD_OPT_EXPORT_NAME: no error reply exists; an unknown name closes the connection. */
    private Negotiated exportName(OptionData data) throws IOException, Dropped {
        String name = data.string(data.remaining());
        NbdExport e = name.length() <= limits.maxStringLength() ? exports.find(name) : null;
        if (e == null) {
            throw new Dropped("export '" + name + "' not present (NBD_OPT_EXPORT_NAME)");
        }
        FlushBatch flushes = exports.attach(e);
        if (flushes == null) {
            throw new Dropped("export '" + name + "' was removed during the handshake");
        }
        int flags = transmissionFlags(e);
        ByteBuffer b = ByteBuffer.allocate(10 + (noZeroes ? 0 : 124)).putLong(e.node().size())
                .putShort((short) flags);
        write(b.position(b.capacity()).flip());
        return negotiated(e, flags, flushes);
    }

    private boolean list(OptionData data) throws IOException {
        if (data.remaining() != 0) {
            return error(Nbd.OPT_LIST, Nbd.REP_ERR_INVALID, "OPT_LIST should not have length");
        }
        for (NbdExport e : exports.listed()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            b.write(ByteBuffer.allocate(4).putInt(name.length).array());
            b.write(name);
            b.write(e.description().getBytes(StandardCharsets.UTF_8));
            optionReply(Nbd.OPT_LIST, Nbd.REP_SERVER, b.toByteArray());
        }
        optionReply(Nbd.OPT_LIST, Nbd.REP_ACK, new byte[0]);
        return true;
    }

    private boolean structuredReply(OptionData data) throws IOException {
        if (data.remaining() != 0) {
            return error(Nbd.OPT_STRUCTURED_REPLY, Nbd.REP_ERR_INVALID, "option 8 should not have length");
        }
        if (structured) {
            return error(Nbd.OPT_STRUCTURED_REPLY, Nbd.REP_ERR_INVALID, "structured reply already negotiated");
        }
        structured = true;
        return optionReply(Nbd.OPT_STRUCTURED_REPLY, Nbd.REP_ACK, new byte[0]);
    }

    /** NBD_OPT_INFO and NBD_OPT_GO: name, info requests; INFO replies, ACK; GO then moves to transmission. */
    private Negotiated info(int option, OptionData data) throws IOException {
        String name = data.lengthPrefixedString(limits, client);
        int requests = data.u16();
        List<Integer> wanted = new ArrayList<>();
        for (int i = 0; name != null && requests >= 0 && i < requests && data.remaining() >= 2; i++) {
            wanted.add(data.u16());
        }
        if (name == null || requests < 0 || data.remaining() != 0 || wanted.size() != requests) {
            return none(error(option, Nbd.REP_ERR_INVALID, "request data length is not what its fields say"));
        }
        NbdExport e = exports.find(name);
        if (e == null) {
            return none(error(option, Nbd.REP_ERR_UNKNOWN, "export '" + name + "' not present"));
        }
        int flags = transmissionFlags(e);
        sendInfo(option, Nbd.INFO_EXPORT, ByteBuffer.allocate(10).putLong(e.node().size())
                .putShort((short) flags).array());
        if (wanted.contains(Nbd.INFO_NAME)) {
            sendInfo(option, Nbd.INFO_NAME, e.name().getBytes(StandardCharsets.UTF_8));
        }
        if (wanted.contains(Nbd.INFO_DESCRIPTION) && !e.description().isEmpty()) {
            sendInfo(option, Nbd.INFO_DESCRIPTION, e.description().getBytes(StandardCharsets.UTF_8));
        }
        sendInfo(option, Nbd.INFO_BLOCK_SIZE, ByteBuffer.allocate(12).putInt(Nbd.MIN_BLOCK)
                .putInt(Nbd.PREFERRED_BLOCK).putInt(limits.maxPayload()).array());
        FlushBatch flushes = option == Nbd.OPT_GO ? exports.attach(e) : null;
        if (option == Nbd.OPT_GO && flushes == null) {
            return none(error(option, Nbd.REP_ERR_UNKNOWN, "export '" + name + "' not present"));
        }
        optionReply(option, Nbd.REP_ACK, new byte[0]);
        return option == Nbd.OPT_GO ? negotiated(e, flags, flushes) : null;
    }

    private void sendInfo(int option, int type, byte[] body) throws IOException {
        optionReply(option, Nbd.REP_INFO, ByteBuffer.allocate(2 + body.length).putShort((short) type).put(body)
                .array());
    }

    /** NBD_OPT_LIST_META_CONTEXT / SET_META_CONTEXT: only {@code base:allocation} exists here. */
    private boolean metaContext(int option, OptionData data) throws IOException {
        if (!structured) {
            return error(option, Nbd.REP_ERR_INVALID, "request option '" + optionName(option)
                    + "' when structured reply is not negotiated");
        }
        String name = data.lengthPrefixedString(limits, client);
        long queries = data.u32();
        List<String> asked = new ArrayList<>();
        for (long i = 0; name != null && i < queries && data.remaining() >= 4; i++) {
            String q = data.lengthPrefixedString(limits, client);
            if (q == null) {
                break;
            }
            asked.add(q);
        }
        if (name == null || asked.size() != queries || data.remaining() != 0) {
            return error(option, Nbd.REP_ERR_INVALID, "request data length is not what its fields say");
        }
        if (exports.find(name) == null) {
            return error(option, Nbd.REP_ERR_UNKNOWN, "export '" + name + "' not present");
        }
        boolean set = option == Nbd.OPT_SET_META_CONTEXT;
        boolean match = set ? asked.contains(Nbd.BASE_ALLOCATION)
                : asked.isEmpty() || asked.stream().anyMatch(q -> q.equals("base:") || q.equals(Nbd.BASE_ALLOCATION));
        if (set) {
            metaExport = name;
            baseAllocation = match;
        }
        if (match) {
            byte[] ctx = Nbd.BASE_ALLOCATION.getBytes(StandardCharsets.US_ASCII);
            optionReply(option, Nbd.REP_META_CONTEXT, ByteBuffer.allocate(4 + ctx.length)
                    .putInt(Nbd.BASE_ALLOCATION_ID).put(ctx).array());
        }
        return optionReply(option, Nbd.REP_ACK, new byte[0]);
    }

    private static String optionName(int option) {
        return option == Nbd.OPT_SET_META_CONTEXT ? "set meta context" : "list meta context";
    }

    private Negotiated negotiated(NbdExport e, int flags, FlushBatch flushes) {
        // a meta context chosen for another export does not carry over (proto.md NBD_OPT_SET_META_CONTEXT)
        boolean meta = baseAllocation && e.name().equals(metaExport);
        return new Negotiated(e, structured, meta, flags, flushes);
    }

    /** qemu-nbd's flags: read-only exports allow multi-conn; writable ones trim and zero; DF with structured. */
    private int transmissionFlags(NbdExport e) {
        int f = Nbd.TFLAG_HAS_FLAGS | Nbd.TFLAG_SEND_FLUSH | Nbd.TFLAG_SEND_FUA | Nbd.TFLAG_SEND_CACHE;
        f |= e.writable() ? Nbd.TFLAG_SEND_TRIM | Nbd.TFLAG_SEND_WRITE_ZEROES | Nbd.TFLAG_SEND_FAST_ZERO
                : Nbd.TFLAG_READ_ONLY | Nbd.TFLAG_CAN_MULTI_CONN;
        return structured ? f | Nbd.TFLAG_SEND_DF : f;
    }

    private boolean error(int option, int type, String message) throws IOException {
        return optionReply(option, type, text(message));
    }

    private static byte[] text(String message) {
        return message.getBytes(StandardCharsets.UTF_8);
    }

    private boolean optionReply(int option, int type, byte[] data) throws IOException {
        write(ByteBuffer.allocate(20 + data.length).putLong(Nbd.OPTION_REPLY_MAGIC).putInt(option).putInt(type)
                .putInt(data.length).put(data).flip());
        return true;
    }

    private void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** An option's data, read already in full: field reads that report a short buffer instead of throwing. */
    private static final class OptionData {
        private final ByteBuffer b;

        OptionData(byte[] data) {
            b = ByteBuffer.wrap(data);
        }

        int remaining() {
            return b.remaining();
        }

        int u16() {
            return b.remaining() >= 2 ? b.getShort() & 0xffff : -1;
        }

        long u32() {
            return b.remaining() >= 4 ? b.getInt() & 0xffffffffL : -1;
        }

        String string(int n) {
            byte[] s = new byte[n];
            b.get(s);
            return new String(s, StandardCharsets.UTF_8);
        }

        /**
         * A u32 length and that many bytes of UTF-8; null when the data is too short for it, {@link TooLong}
         * when longer than {@code limits.maxStringLength()}.
         */
        String lengthPrefixedString(NbdLimits limits, String client) {
            long n = u32();
            if (n > limits.maxStringLength()) {
                throw new TooLong(limits.violation(client, "string length", n, "maxStringLength",
                        limits.maxStringLength()).getMessage());
            }
            return n < 0 || n > b.remaining() ? null : string((int) n);
        }
    }
}
