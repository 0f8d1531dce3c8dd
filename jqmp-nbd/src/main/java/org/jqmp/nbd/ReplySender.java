package org.jqmp.nbd;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes transmission replies. Many requests are served at once; each reply (all chunks of a structured
 * reply) goes out whole, in one gathering write under a lock, so replies never interleave on the wire. Headers
 * are encoded, under that lock, into one direct buffer of the connection and data goes from the caller's native
 * memory: the JDK then copies nothing on its way to the socket (a heap buffer would cost a copy into a
 * temporary direct one per write).
 */
final class ReplySender {
    /** Headers of a reply of up to ~290 chunks; a larger reply (a long block status) gets its own buffer. */
    private static final int HEADER_ROOM = 8 << 10;
    private final GatheringByteChannel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final ByteBuffer headers = ByteBuffer.allocateDirect(HEADER_ROOM);
    /** Simple replies held back while more requests are already buffered ({@link #simpleLater}). */
    private final ByteBuffer held = ByteBuffer.allocateDirect(16 * 64);

    ReplySender(GatheringByteChannel channel) {
        this.channel = channel;
    }

    /** One chunk of a structured reply (proto.md "Structured reply chunk message"). */
    sealed interface Chunk {
        record Data(long offset, MemorySegment data) implements Chunk { }

        record Hole(long offset, int length) implements Chunk { }

        /** {@code descriptors}: (length << 32 | flags) per extent. */
        record Status(int contextId, long[] descriptors) implements Chunk { }

        record Error(int error, String message) implements Chunk { }

        record None() implements Chunk { }

        /** Bytes of this chunk written into the header buffer (header and inline payload). */
        default int inlineBytes() {
            return 20 + switch (this) {
                case Data d -> 8;
                case Hole h -> 12;
                case Status s -> 4 + 8 * s.descriptors().length;
                case Error e -> 6 + e.message().getBytes(StandardCharsets.UTF_8).length;
                case None n -> 0;
            };
        }
    }

    /** A simple reply; {@code data} (may be null) follows the header for a successful READ. */
    void simple(long cookie, int error, MemorySegment data) throws IOException {
        lock.lock();
        try {
            ByteBuffer h = headers.clear().putInt(Nbd.SIMPLE_REPLY_MAGIC).putInt(error).putLong(cookie).flip();
            write(data == null || error != 0 ? new ByteBuffer[] {heldFlipped(), h}
                    : new ByteBuffer[] {heldFlipped(), h, data.asByteBuffer()});
        } finally {
            lock.unlock();
        }
    }

    /**
     * A successful simple reply without data, held back to leave with the next write: the reading thread uses
     * this while further requests are already in its buffer, so that a burst of small writes is answered with
     * one {@code writev} (and one wake-up of the client) instead of one each. {@link #sendHeld} sends them.
     */
    void simpleLater(long cookie) throws IOException {
        lock.lock();
        try {
            if (held.remaining() < 16) {
                write(new ByteBuffer[] {heldFlipped()});
            }
            held.putInt(Nbd.SIMPLE_REPLY_MAGIC).putInt(0).putLong(cookie);
        } finally {
            lock.unlock();
        }
    }

    /** Sends the replies held back, if any. */
    void sendHeld() throws IOException {
        lock.lock();
        try {
            if (held.position() > 0) {
                write(new ByteBuffer[] {heldFlipped()});
            }
        } finally {
            lock.unlock();
        }
    }

    /** The held replies as a buffer to write (possibly empty); the holding area is free again afterwards. */
    private ByteBuffer heldFlipped() {
        ByteBuffer out = held.flip().slice();
        held.clear();
        return out;
    }

    /** A structured reply made of {@code chunks}; the last one carries NBD_REPLY_FLAG_DONE. */
    void structured(long cookie, List<Chunk> chunks) throws IOException {
        int room = 0;
        for (Chunk c : chunks) {
            room += c.inlineBytes();
        }
        lock.lock();
        try {
            ByteBuffer h = room <= HEADER_ROOM ? headers.clear() : ByteBuffer.allocateDirect(room);
            List<ByteBuffer> out = new ArrayList<>(chunks.size() * 2 + 1);
            out.add(heldFlipped());
            for (int i = 0; i < chunks.size(); i++) {
                int start = h.position();
                MemorySegment data = encode(h, cookie, chunks.get(i), i == chunks.size() - 1 ? Nbd.REPLY_FLAG_DONE : 0);
                out.add(h.slice(start, h.position() - start));
                if (data != null) {
                    out.add(data.asByteBuffer());
                }
            }
            write(out.toArray(ByteBuffer[]::new));
        } finally {
            lock.unlock();
        }
    }

    /** Puts the chunk's header (and small payload) into {@code h}; returns data that follows it, or null. */
    private static MemorySegment encode(ByteBuffer h, long cookie, Chunk c, int flags) {
        h.putInt(Nbd.STRUCTURED_REPLY_MAGIC).putShort((short) flags);
        switch (c) {
            case Chunk.Data d -> {
                head(h, Nbd.REPLY_TYPE_OFFSET_DATA, cookie, 8 + d.data().byteSize()).putLong(d.offset());
                return d.data();
            }
            case Chunk.Hole x -> head(h, Nbd.REPLY_TYPE_OFFSET_HOLE, cookie, 12).putLong(x.offset()).putInt(x.length());
            case Chunk.Status s -> {
                head(h, Nbd.REPLY_TYPE_BLOCK_STATUS, cookie, 4 + 8L * s.descriptors().length).putInt(s.contextId());
                for (long d : s.descriptors()) {
                    h.putInt((int) (d >>> 32)).putInt((int) d);
                }
            }
            case Chunk.Error e -> {
                byte[] msg = e.message().getBytes(StandardCharsets.UTF_8);
                head(h, Nbd.REPLY_TYPE_ERROR, cookie, 6 + msg.length).putInt(e.error()).putShort((short) msg.length)
                        .put(msg);
            }
            case Chunk.None n -> head(h, Nbd.REPLY_TYPE_NONE, cookie, 0);
        }
        return null;
    }

    private static ByteBuffer head(ByteBuffer h, int type, long cookie, long payload) {
        return h.putShort((short) type).putLong(cookie).putInt((int) payload);
    }

    private void write(ByteBuffer[] buffers) throws IOException {
        long left = 0;
        for (ByteBuffer b : buffers) {
            left += b.remaining();
        }
        while (left > 0) {
            left -= channel.write(buffers);
        }
    }
}
