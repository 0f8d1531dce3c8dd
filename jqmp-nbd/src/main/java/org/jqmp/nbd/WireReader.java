package org.jqmp.nbd;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Big-endian reads from a client's channel, through one direct buffer: a request header and a small write
 * payload usually arrive in one read system call. Larger payloads go straight from the socket into the
 * caller's (native) memory. A client that closes mid-message gets an {@link EOFException}.
 */
final class WireReader {
    /** Room for several small requests with their payloads per read; per client, so kept modest. */
    private static final int BUFFER = 32 << 10;
    private final ReadableByteChannel channel;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
    private BeforeWaiting beforeWaiting = () -> { };

    /** Runs before the reader may wait for the client (replies held back go out then). */
    interface BeforeWaiting {
        void run() throws IOException;
    }

    void beforeWaiting(BeforeWaiting hook) {
        this.beforeWaiting = hook;
    }

    /** True when a whole request header is already buffered: reading it will not wait. */
    boolean headerBuffered() {
        return buf.remaining() >= Nbd.REQUEST_SIZE;
    }

    WireReader(ReadableByteChannel channel) {
        this.channel = channel;
        buf.limit(0);
    }

    /** Makes sure {@code n} (at most the buffer size) unread bytes are in the buffer. */
    private void need(int n) throws IOException {
        if (buf.remaining() >= n) {
            return;
        }
        beforeWaiting.run();
        buf.compact();
        try {
            while (buf.position() < n) {
                if (channel.read(buf) < 0) {
                    throw new EOFException("client closed the connection in the middle of a message");
                }
            }
        } finally {
            buf.flip();
        }
    }

    int u16() throws IOException {
        need(2);
        return buf.getShort() & 0xffff;
    }

    int u32() throws IOException {
        need(4);
        return buf.getInt();
    }

    long u64() throws IOException {
        need(8);
        return buf.getLong();
    }

    byte[] bytes(int n) throws IOException {
        byte[] out = new byte[n];
        int done = 0;
        while (done < n) {
            int step = Math.min(n - done, BUFFER);
            need(step);
            buf.get(out, done, step);
            done += step;
        }
        return out;
    }

    String string(int n) throws IOException {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    /** Fills {@code dst} completely: first from what is buffered, then directly from the channel. */
    void readFully(MemorySegment dst) throws IOException {
        long size = dst.byteSize();
        int buffered = (int) Math.min(size, buf.remaining());
        MemorySegment.copy(MemorySegment.ofBuffer(buf), 0, dst, 0, buffered);
        buf.position(buf.position() + buffered);
        if (buffered == size) {
            return;
        }
        beforeWaiting.run();
        ByteBuffer rest = dst.asSlice(buffered).asByteBuffer();
        while (rest.hasRemaining()) {
            if (channel.read(rest) < 0) {
                throw new EOFException("client closed the connection in the middle of a write payload");
            }
        }
    }

    /** Reads and forgets {@code n} bytes. */
    void skip(long n) throws IOException {
        while (n > 0) {
            int step = (int) Math.min(n, BUFFER);
            need(step);
            buf.position(buf.position() + step);
            n -= step;
        }
    }
}
