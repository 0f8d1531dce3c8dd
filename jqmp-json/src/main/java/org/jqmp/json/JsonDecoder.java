package org.jqmp.json;

import java.nio.ByteBuffer;

/**
 * Incremental decoder for QMP input in QEMU's JSON dialect: fed arbitrary chunks of bytes, it reports each
 * complete top-level value, and each error, to its {@link Sink}, in input order, exactly as QEMU's
 * json-lexer/json-streamer/json-parser would (same framing, same error texts, same recovery).
 * Not thread-safe: one decoder per connection.
 */
public final class JsonDecoder {

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
        throw new UnsupportedOperationException("being written");
    }

    /** Feeds bytes {@code [off, off+len)}; calls the sink for every message they complete. */
    public void feed(byte[] bytes, int off, int len) {
        throw new UnsupportedOperationException("being written");
    }

    /** Feeds the remaining bytes of the buffer and consumes them. */
    public void feed(ByteBuffer buffer) {
        throw new UnsupportedOperationException("being written");
    }

    /**
     * Flushes at end of input: what QEMU's {@code json_message_parser_flush} does (a pending top-level
     * scalar is completed; a partial message is reported as an error if QEMU would report one).
     */
    public void end() {
        throw new UnsupportedOperationException("being written");
    }

    /** Forgets any partial message, as QEMU does when a connection closes. */
    public void reset() {
        throw new UnsupportedOperationException("being written");
    }
}
