package org.jqmp.json.internal;

import java.util.Arrays;

/**
 * The tokens of the message being framed (json-streamer.c's token queue), kept flat: a type byte and a
 * text range per token, with all token text in one byte buffer. The lexer writes the token it is reading
 * straight after the committed text, so a finished token costs no copy. Buffers grow with the message and
 * shrink again after a large one, so an idle decoder holds little memory.
 */
public final class TokenQueue {
    private static final int INITIAL_TEXT = 256;
    private static final int INITIAL_TOKENS = 32;
    private static final int KEEP_TEXT = 64 << 10;
    private static final int KEEP_TOKENS = 4 << 10;

    byte[] text = new byte[INITIAL_TEXT];
    /** Length of the committed token text; the lexer's current token starts here. */
    int textLength;
    byte[] types = new byte[INITIAL_TOKENS];
    int[] starts = new int[INITIAL_TOKENS];
    int[] ends = new int[INITIAL_TOKENS];
    int count;

    /** Makes room for the lexer's current token to grow to {@code tokenLength} bytes. */
    byte[] reserve(int tokenLength) {
        int need = textLength + tokenLength;
        if (need > text.length) {
            text = Arrays.copyOf(text, Math.max(need, (int) Math.min(Integer.MAX_VALUE - 8, 2L * text.length)));
        }
        return text;
    }

    /** Appends a token whose text is the lexer's current token, {@code length} bytes after the committed text. */
    void push(int type, int length, boolean keepText) {
        if (count == types.length) {
            int n = count * 2;
            types = Arrays.copyOf(types, n);
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
        }
        types[count] = (byte) type;
        starts[count] = textLength;
        if (keepText) {
            textLength += length;
        }
        ends[count] = textLength;
        count++;
    }

    long retainedBytes() {
        return text.length + 9L * types.length;
    }

    void clear() {
        count = 0;
        textLength = 0;
        if (text.length > KEEP_TEXT) {
            text = new byte[INITIAL_TEXT];
        }
        if (types.length > KEEP_TOKENS) {
            types = new byte[INITIAL_TOKENS];
            starts = new int[INITIAL_TOKENS];
            ends = new int[INITIAL_TOKENS];
        }
    }
}
