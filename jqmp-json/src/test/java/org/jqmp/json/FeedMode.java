package org.jqmp.json;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The ways a test feeds input to a decoder: all at once, byte by byte, in random chunks (several fixed
 * seeds), and in random chunks through direct ByteBuffers. Every decoder test runs in all of them and must
 * see the same outputs: framing may not depend on how the socket happened to split the bytes.
 */
public enum FeedMode {
    WHOLE(0),
    BYTE_BY_BYTE(0),
    RANDOM_SPLITS_1(1),
    RANDOM_SPLITS_2(2),
    RANDOM_SPLITS_3(3),
    DIRECT_BUFFERS(4);

    private final long seed;

    FeedMode(long seed) {
        this.seed = seed;
    }

    /** What a decoder reported: values as their compact encoding, errors as {@code "error: <text>"}. */
    public List<String> decode(String input) {
        return decode(input.getBytes(StandardCharsets.ISO_8859_1), JsonLimits.QEMU, true);
    }

    /** Like {@link #decode(String)} without the end-of-input flush: what a QMP connection would see. */
    public List<String> decodeStream(String input) {
        return decode(input.getBytes(StandardCharsets.ISO_8859_1), JsonLimits.QEMU, false);
    }

    public List<String> decode(byte[] input, JsonLimits limits, boolean end) {
        List<String> out = new ArrayList<>();
        JsonDecoder decoder = new JsonDecoder(limits, new JsonDecoder.Sink() {
            @Override
            public void value(JsonValue value) {
                out.add(JsonEncoder.encode(value, false));
            }

            @Override
            public void error(String message) {
                out.add("error: " + message);
            }
        });
        feed(decoder, input);
        if (end) {
            decoder.end();
        }
        return out;
    }

    public void feed(JsonDecoder decoder, byte[] input) {
        switch (this) {
            case WHOLE -> decoder.feed(input, 0, input.length);
            case BYTE_BY_BYTE -> {
                for (int i = 0; i < input.length; i++) {
                    decoder.feed(input, i, 1);
                }
            }
            case DIRECT_BUFFERS -> {
                Random random = new Random(seed);
                for (int i = 0; i < input.length; ) {
                    int n = Math.min(input.length - i, 1 + random.nextInt(64));
                    ByteBuffer b = ByteBuffer.allocateDirect(n).put(input, i, n).flip();
                    decoder.feed(b);
                    i += n;
                }
            }
            default -> {
                Random random = new Random(seed);
                for (int i = 0; i < input.length; ) {
                    int n = Math.min(input.length - i, random.nextInt(random.nextBoolean() ? 4 : 100));
                    decoder.feed(input, i, n); // zero-length feeds included on purpose
                    i += n;
                }
            }
        }
    }

    /** Latin-1 text to bytes one for one: lets tests write any byte as a char. */
    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
