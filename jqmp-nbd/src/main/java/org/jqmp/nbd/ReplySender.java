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
 * reply) goes out whole, in one gathering write under a lock, so replies never interleave on the wire.
 */
final class ReplySender {
    private final GatheringByteChannel channel;
    private final ReentrantLock lock = new ReentrantLock();

    ReplySender(GatheringByteChannel channel) {
        this.channel = channel;
    }

    /** One chunk of a structured reply (proto.md "Structured reply chunk message"). */
    sealed interface Chunk {
        record Data(long offset, MemorySegment data) implements Chunk { }

        record Hole(long offset, int length) implements Chunk { }

        record Status(int contextId, long[] descriptors) implements Chunk { }

        record Error(int error, String message) implements Chunk { }

        record None() implements Chunk { }
    }

    /** A simple reply; {@code data} (may be null) follows the header for a successful READ. */
    void simple(long cookie, int error, MemorySegment data) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(16).putInt(Nbd.SIMPLE_REPLY_MAGIC).putInt(error).putLong(cookie).flip();
        send(data == null || error != 0 ? new ByteBuffer[] {h} : new ByteBuffer[] {h, data.asByteBuffer()});
    }

    /** A structured reply made of {@code chunks}; the last one carries NBD_REPLY_FLAG_DONE. */
    void structured(long cookie, List<Chunk> chunks) throws IOException {
        List<ByteBuffer> out = new ArrayList<>(chunks.size() * 2);
        for (int i = 0; i < chunks.size(); i++) {
            boolean last = i == chunks.size() - 1;
            encode(cookie, chunks.get(i), last ? Nbd.REPLY_FLAG_DONE : 0, out);
        }
        send(out.toArray(ByteBuffer[]::new));
    }

    private static void encode(long cookie, Chunk c, int flags, List<ByteBuffer> out) {
        switch (c) {
            case Chunk.Data d -> {
                out.add(header(cookie, flags, Nbd.REPLY_TYPE_OFFSET_DATA, 8 + d.data().byteSize(), 8)
                        .putLong(d.offset()).flip());
                out.add(d.data().asByteBuffer());
            }
            case Chunk.Hole h -> out.add(header(cookie, flags, Nbd.REPLY_TYPE_OFFSET_HOLE, 12, 12)
                    .putLong(h.offset()).putInt(h.length()).flip());
            case Chunk.Status s -> {
                ByteBuffer b = header(cookie, flags, Nbd.REPLY_TYPE_BLOCK_STATUS, 4 + 8L * s.descriptors().length,
                        4 + 8 * s.descriptors().length)
                        .putInt(s.contextId());
                for (long d : s.descriptors()) {
                    b.putInt((int) (d >>> 32)).putInt((int) d);
                }
                out.add(b.flip());
            }
            case Chunk.Error e -> {
                byte[] msg = e.message().getBytes(StandardCharsets.UTF_8);
                out.add(header(cookie, flags, Nbd.REPLY_TYPE_ERROR, 6 + msg.length, 6 + msg.length)
                        .putInt(e.error()).putShort((short) msg.length).put(msg).flip());
            }
            case Chunk.None n -> out.add(header(cookie, flags, Nbd.REPLY_TYPE_NONE, 0, 0).flip());
        }
    }

    /** A chunk header with room for {@code inline} payload bytes after it in the same buffer. */
    private static ByteBuffer header(long cookie, int flags, int type, long payload, int inline) {
        return ByteBuffer.allocate(20 + inline)
                .putInt(Nbd.STRUCTURED_REPLY_MAGIC).putShort((short) flags).putShort((short) type)
                .putLong(cookie).putInt((int) payload);
    }

    private void send(ByteBuffer[] buffers) throws IOException {
        lock.lock();
        try {
            long left = 0;
            for (ByteBuffer b : buffers) {
                left += b.remaining();
            }
            while (left > 0) {
                left -= channel.write(buffers);
            }
        } finally {
            lock.unlock();
        }
    }
}
