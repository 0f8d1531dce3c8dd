package org.jqmp.nbd;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockNode;
import org.jqmp.block.NativeBuffers;

/**
 * The transmission phase of one connection (proto.md "Transmission"): one thread reads requests in order and
 * serves small reads and writes itself ({@link #servedInline}); every other request is served on a virtual thread
 * of its own. At most {@link NbdLimits#maxRequestsInFlight()} are under way at once (further requests stay
 * unread in the socket, which pushes back on the client); replies go out whole through {@link ReplySender}.
 */
final class Transmission {
    /** One request header (proto.md "Request message"); {@code length} is the unsigned 32-bit field. */
    record Request(int flags, int type, long cookie, long offset, long length) {
        boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    /** Why the request loop stopped. */
    enum End { DISCONNECT, PROTOCOL_ERROR }

    private final WireReader in;
    private final ReplySender out;
    private final OptionHaggling.Negotiated agreed;
    private final NbdLimits limits;
    private final String client;
    private final Semaphore inFlight;
    private final RequestChecks checks;
    private final FlushBatch flushes;
    private volatile String protocolError;

    Transmission(WireReader in, ReplySender out, OptionHaggling.Negotiated agreed, NbdLimits limits, String client) {
        this.flushes = agreed.flushes();
        this.in = in;
        this.out = out;
        this.agreed = agreed;
        this.limits = limits;
        this.client = client;
        this.inFlight = new Semaphore(limits.maxRequestsInFlight());
        this.checks = new RequestChecks(agreed, limits);
        in.beforeWaiting(out::sendHeld);
    }

    private BlockNode node() {
        return agreed.export().node();
    }

    /** Why the loop ended with a protocol error, or null. */
    String protocolError() {
        return protocolError;
    }

    /** Reads and dispatches requests until NBD_CMD_DISC, a protocol error or a transport error (thrown). */
    End run() throws IOException, InterruptedException {
        while (true) {
            if (!inFlight.tryAcquire()) {
                out.sendHeld();
                inFlight.acquire();
            }
            boolean dispatched = false;
            try {
                Request r = readHeader();
                if (r == null) {
                    return End.PROTOCOL_ERROR;
                }
                if (r.type() == Nbd.CMD_DISC) {
                    out.sendHeld();
                    return End.DISCONNECT;
                }
                NativeBuffers.Lease payload = readPayload(r);
                if (payload == null) {
                    return End.PROTOCOL_ERROR;
                }
                dispatched = true;
                if (servedInline(r)) {
                    serveAndRelease(r, payload, true);
                } else if (answeredAfterFlush(r)) {
                    writeThenAnswerAfterFlush(r, payload);
                } else {
                    Thread.ofVirtual().name("nbd-request").start(() -> serveAndRelease(r, payload, false));
                }
            } finally {
                if (!dispatched) {
                    inFlight.release();
                }
            }
        }
    }

    /**
     * Reads and writes up to {@link #INLINE_MAX} without FUA are served by the reading thread itself: against the
     * page cache they take microseconds, less than handing them to another thread costs, and the reading
     * thread (a platform thread, {@link ClientConnection}) does file I/O without the virtual-thread scheduler
     * compensating for a pinned carrier. FUA writes and FLUSH are written here too but answered after the export's
     * next flush ({@link #writeThenAnswerAfterFlush}). What may take long - TRIM, WRITE_ZEROES, BLOCK_STATUS,
     * larger transfers - runs on a virtual thread of its own, so it holds up nothing behind it.
     * (QEMU's qemu-nbd also runs every request's protocol work on one thread, handing only the file I/O to a pool.)
     */
    private static boolean servedInline(Request r) {
        return (r.type() == Nbd.CMD_READ || r.type() == Nbd.CMD_WRITE) && r.length() <= INLINE_MAX
                && !r.has(Nbd.CMD_FLAG_FUA);
    }

    private static final long INLINE_MAX = 1 << 20;

    /** FUA writes of up to {@link #INLINE_MAX} and FLUSH: written here, answered by the export's group commit. */
    private static boolean answeredAfterFlush(Request r) {
        return r.type() == Nbd.CMD_FLUSH || r.type() == Nbd.CMD_WRITE && r.length() <= INLINE_MAX;
    }

    /**
     * Writes (a FUA write) on this thread and hands the reply to {@link FlushBatch#whenFlushed}: the reading
     * thread goes on with the next request while the flush runs, and concurrent FUA writes share one flush.
     * The request's in-flight permit is released when its reply has been sent.
     */
    private void writeThenAnswerAfterFlush(Request r, NativeBuffers.Lease payload) {
        long generation;
        try (payload) {
            RequestChecks.Refusal no = checks.check(r);
            if (no != null) {
                answer(r, no.error(), no.message());
                return;
            }
            if (r.type() == Nbd.CMD_WRITE) {
                node().write(r.offset(), payload.segment());
                generation = flushes.written();
            } else {
                generation = flushes.lastWritten();
            }
        } catch (RuntimeException e) {
            answer(r, e instanceof BlockException b ? errno(b) : Nbd.EIO, e.getMessage());
            return;
        }
        flushes.whenFlushed(generation, failure -> answer(r, failure == null ? 0 : Nbd.EIO,
                failure == null ? null : failure.getMessage()));
    }

    /** Sends a simple reply (or an error) and releases the request's permit; a vanished client is ignored here. */
    private void answer(Request r, int error, String message) {
        try {
            if (error == 0) {
                out.simple(r.cookie(), 0, null);
            } else {
                fail(r, error, message);
            }
        } catch (IOException e) {
            // the client is gone: the reading thread notices and tears the connection down
        } finally {
            inFlight.release();
        }
    }

    /** Waits until every request already dispatched has been answered (or failed to be). */
    void awaitInFlight() throws InterruptedException {
        inFlight.acquire(limits.maxRequestsInFlight());
        inFlight.release(limits.maxRequestsInFlight());
    }

    /** Like {@link #awaitInFlight()}, but gives up after the timeout. */
    void awaitInFlightFor(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
        if (inFlight.tryAcquire(limits.maxRequestsInFlight(), timeout, unit)) {
            inFlight.release(limits.maxRequestsInFlight());
        }
    }

    private Request readHeader() throws IOException {
        int magic = in.u32();
        if (magic != Nbd.REQUEST_MAGIC) {
            protocolError = "bad request magic 0x" + Integer.toHexString(magic);
            return null;
        }
        int flags = in.u16();
        int type = in.u16();
        return new Request(flags, type, in.u64(), in.u64(), in.u32() & 0xffffffffL);
    }

    /**
     * The payload of a WRITE, read before anything else so that the stream stays in step. One larger than
     * {@link NbdLimits#maxPayload()} is refused with EINVAL and the connection then closed, as QEMU does:
     * its bytes cannot be skipped safely (proto.md lets the server disconnect in that case).
     */
    private NativeBuffers.Lease readPayload(Request r) throws IOException {
        if (r.type() != Nbd.CMD_WRITE) {
            return NativeBuffers.take(0);
        }
        if (r.length() > limits.maxPayload()) {
            protocolError = limits.violation(client, "write payload", r.length(), "maxPayload",
                    limits.maxPayload()).getMessage();
            out.simple(r.cookie(), Nbd.EINVAL, null);
            return null;
        }
        NativeBuffers.Lease lease = NativeBuffers.take(r.length());
        try {
            in.readFully(lease.segment());
        } catch (IOException | RuntimeException e) {
            lease.close();
            throw e;
        }
        return lease;
    }

    /** {@code reading}: called by the reading thread, which may hold back a reply ({@link ReplySender#simpleLater}). */
    private void serveAndRelease(Request r, NativeBuffers.Lease payload, boolean reading) {
        try (payload) {
            serve(r, payload.segment(), reading);
        } catch (IOException e) {
            // the client is gone or the connection was closed: the reader notices and tears down
        } finally {
            inFlight.release();
        }
    }

    private void serve(Request r, MemorySegment payload, boolean reading) throws IOException {
        RequestChecks.Refusal no = checks.check(r);
        if (no != null) {
            fail(r, no.error(), no.message());
            return;
        }
        try {
            switch (r.type()) {
                case Nbd.CMD_READ -> read(r);
                case Nbd.CMD_BLOCK_STATUS -> blockStatus(r);
                default -> {
                    execute(r, payload);
                    if (reading && in.headerBuffered()) {
                        out.simpleLater(r.cookie());
                    } else {
                        out.simple(r.cookie(), 0, null);
                    }
                }
            }
        } catch (BlockException e) {
            fail(r, errno(e), e.getMessage());
        } catch (RuntimeException e) {
            // never leave a request unanswered: the client would wait for its reply forever
            fail(r, Nbd.EIO, "internal error: " + e);
        }
    }

    /** Commands answered with a simple reply and no data. */
    private void execute(Request r, MemorySegment payload) {
        BlockNode n = node();
        switch (r.type()) {
            case Nbd.CMD_WRITE -> n.write(r.offset(), payload);
            case Nbd.CMD_TRIM -> n.discard(r.offset(), r.length());
            case Nbd.CMD_WRITE_ZEROES -> writeZeroes(r);
            case Nbd.CMD_FLUSH -> flushes.flushThrough(flushes.lastWritten());
            case Nbd.CMD_CACHE -> { }
            default -> throw new IllegalStateException("unchecked command " + r.type());
        }
        if (r.type() == Nbd.CMD_WRITE || r.type() == Nbd.CMD_TRIM || r.type() == Nbd.CMD_WRITE_ZEROES) {
            long generation = flushes.written();
            if (r.has(Nbd.CMD_FLAG_FUA)) {
                flushes.flushThrough(generation);
            }
        }
    }

    /** NO_HOLE: the range must end up allocated, so real zero bytes are written instead of a zero run. */
    private void writeZeroes(Request r) {
        if (!r.has(Nbd.CMD_FLAG_NO_HOLE)) {
            node().writeZeroes(r.offset(), r.length());
            return;
        }
        for (long done = 0; done < r.length(); ) {
            long step = Math.min(r.length() - done, NativeBuffers.maxZeroes());
            node().write(r.offset() + done, NativeBuffers.zeroes(step));
            done += step;
        }
    }

    private void read(Request r) throws IOException {
        try (NativeBuffers.Lease buf = NativeBuffers.take(r.length())) {
            MemorySegment dst = buf.segment();
            if (!agreed.structuredReplies()) {
                node().read(r.offset(), dst);
                out.simple(r.cookie(), 0, dst);
            } else if (r.has(Nbd.CMD_FLAG_DF) || r.length() == 0) {
                node().read(r.offset(), dst);
                out.structured(r.cookie(), List.of(new ReplySender.Chunk.Data(r.offset(), dst)));
            } else {
                out.structured(r.cookie(), sparseRead(r, dst));
            }
        }
    }

    /** Zero runs go out as OFFSET_HOLE chunks, the rest is read and sent as OFFSET_DATA (what QEMU does). */
    private List<ReplySender.Chunk> sparseRead(Request r, MemorySegment dst) {
        List<ReplySender.Chunk> chunks = new ArrayList<>();
        long pos = 0;
        while (pos < r.length()) {
            long start = pos;
            AllocationStatus.Run run = AllocationStatus.at(node(), r.offset() + pos, r.length() - pos);
            boolean zero = run.readsAsZero();
            pos += run.length();
            while (pos < r.length()) {
                run = AllocationStatus.at(node(), r.offset() + pos, r.length() - pos);
                if (run.readsAsZero() != zero) {
                    break;
                }
                pos += run.length();
            }
            if (zero) {
                chunks.add(new ReplySender.Chunk.Hole(r.offset() + start, (int) (pos - start)));
            } else {
                MemorySegment slice = dst.asSlice(start, pos - start);
                node().read(r.offset() + start, slice);
                chunks.add(new ReplySender.Chunk.Data(r.offset() + start, slice));
            }
        }
        return chunks;
    }

    /** base:allocation descriptors for the range, merged, at most one with REQ_ONE (proto.md). */
    private void blockStatus(Request r) throws IOException {
        int max = r.has(Nbd.CMD_FLAG_REQ_ONE) ? 1 : limits.maxStatusDescriptors();
        List<Long> descriptors = new ArrayList<>();
        long pos = r.offset();
        long end = r.offset() + r.length();
        int lastFlags = -1;
        long lastLength = 0;
        while (pos < end) {
            AllocationStatus.Run run = AllocationStatus.at(node(), pos, end - pos);
            if (run.flags() != lastFlags) {
                if (lastFlags >= 0) {
                    if (descriptors.size() + 1 >= max) {
                        break;
                    }
                    descriptors.add(lastLength << 32 | lastFlags);
                }
                lastFlags = run.flags();
                lastLength = 0;
            }
            lastLength += run.length();
            pos += run.length();
        }
        descriptors.add(lastLength << 32 | lastFlags);
        long[] d = descriptors.stream().mapToLong(Long::longValue).toArray();
        out.structured(r.cookie(), List.of(new ReplySender.Chunk.Status(Nbd.BASE_ALLOCATION_ID, d)));
    }

    private void fail(Request r, int error, String message) throws IOException {
        boolean chunked = agreed.structuredReplies()
                && (r.type() == Nbd.CMD_READ || r.type() == Nbd.CMD_BLOCK_STATUS);
        if (chunked) {
            out.structured(r.cookie(), List.of(new ReplySender.Chunk.Error(error, message)));
        } else {
            out.simple(r.cookie(), error, null);
        }
    }

    /** A failed request's errno: ENOSPC for a full disk, EIO for the rest (QEMU maps errno likewise). */
    private static int errno(BlockException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("No space left")) {
                return Nbd.ENOSPC;
            }
        }
        return Nbd.EIO;
    }
}
