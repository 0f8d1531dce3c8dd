package org.jqmp.json;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.jqmp.json.internal.Streamer;

/**
 * Incremental decoder for QMP input in QEMU's JSON dialect: fed arbitrary chunks of bytes, it reports each
 * complete top-level value, and each error, to its {@link Sink}, in input order, exactly as QEMU's
 * json-lexer/json-streamer/json-parser would (same framing, same error texts, same recovery).
 * Not thread-safe: one decoder per connection. The sink is called synchronously from {@link #feed} and
 * {@link #end}; it must not call back into the same decoder.
 *
 * <p>Memory: the decoder holds at most one message's tokens, bounded by {@link JsonLimits#maxTokenSize()}
 * bytes of token text (plus the token being read, itself bounded by the same limit) and
 * {@link JsonLimits#maxTokenCount()} tokens; buffers shrink back after a large message.
 */
public final class JsonDecoder {
    private static final int DIRECT_CHUNK = 8192;

    private final Streamer streamer;
    private byte[] scratch;

    /** Receives what the decoder finds, in input order. */
    public interface Sink {
        /** A complete top-level value. */
        void value(JsonValue value);

        /**
         * One error for one bad message: the full QEMU text, e.g. {@code "JSON parse error, expecting value"}
         * or {@code "JSON token size limit exceeded"}.
         */
        void error(String message);
    }

    public JsonDecoder(JsonLimits limits, Sink sink) {
        this.streamer = new Streamer(Objects.requireNonNull(limits, "limits"), Objects.requireNonNull(sink, "sink"));
    }

    /** A decoder with QEMU's limits. */
    public JsonDecoder(Sink sink) {
        this(JsonLimits.QEMU, sink);
    }

    /** Feeds bytes {@code [off, off+len)}; calls the sink for every message they complete. */
    public void feed(byte[] bytes, int off, int len) {
        Objects.checkFromIndexSize(off, len, bytes.length);
        streamer.feed(bytes, off, len);
    }

    /** Feeds the remaining bytes of the buffer and consumes them. */
    public void feed(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            int n = buffer.remaining();
            int pos = buffer.position();
            buffer.position(pos + n);
            streamer.feed(buffer.array(), buffer.arrayOffset() + pos, n);
            return;
        }
        if (scratch == null) {
            scratch = new byte[DIRECT_CHUNK];
        }
        while (buffer.hasRemaining()) {
            int n = Math.min(scratch.length, buffer.remaining());
            buffer.get(scratch, 0, n);
            streamer.feed(scratch, 0, n);
        }
    }

    /**
     * Flushes at end of input: what QEMU's {@code json_message_parser_flush} does (a pending top-level
     * scalar is completed; a partial message is reported as an error if QEMU would report one).
     */
    public void end() {
        streamer.flush();
    }

    /**
     * Bytes the decoder's buffers hold right now (token text, token table, scratch), for tests and
     * monitoring: never more than about twice {@link JsonLimits#maxTokenSize()} plus nine bytes per token
     * allowed by {@link JsonLimits#maxTokenCount()}, and small again after a large message.
     */
    public long retainedBytes() {
        return streamer.retainedBytes() + (scratch == null ? 0 : scratch.length);
    }

    /** Forgets any partial message, as QEMU does when a connection closes. */
    public void reset() {
        streamer.reset();
    }
}
