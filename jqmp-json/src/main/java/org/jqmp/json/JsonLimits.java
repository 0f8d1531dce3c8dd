package org.jqmp.json;

/**
 * Every bound the decoder puts on untrusted input, in one immutable value. The defaults are QEMU's
 * ({@code qobject/json-streamer.c}): 64 MiB of token text per message (and per token), 2,097,152 tokens per
 * message, and a nesting depth of 1024 (braces plus brackets; 1025 fails).
 *
 * @param maxTokenSize  largest sum of token lengths in one message, in bytes; also the largest single token
 * @param maxTokenCount most tokens in one message
 * @param maxNesting    deepest nesting of objects and arrays
 */
public record JsonLimits(long maxTokenSize, long maxTokenCount, int maxNesting) {
    public static final JsonLimits QEMU = new JsonLimits(64L << 20, 2L << 20, 1 << 10);

    public JsonLimits {
        if (maxTokenSize <= 0 || maxTokenCount <= 0 || maxNesting <= 0) {
            throw new IllegalArgumentException("JSON limits must be positive: " + maxTokenSize + ", "
                    + maxTokenCount + ", " + maxNesting);
        }
    }
}
