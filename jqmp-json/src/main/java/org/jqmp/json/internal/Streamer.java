package org.jqmp.json.internal;

import static org.jqmp.json.internal.LexTable.DQ_STRING;
import static org.jqmp.json.internal.LexTable.ERROR;
import static org.jqmp.json.internal.LexTable.LCURLY;
import static org.jqmp.json.internal.LexTable.LOOKAHEAD;
import static org.jqmp.json.internal.LexTable.LSQUARE;
import static org.jqmp.json.internal.LexTable.RCURLY;
import static org.jqmp.json.internal.LexTable.RECOVERY;
import static org.jqmp.json.internal.LexTable.RSQUARE;
import static org.jqmp.json.internal.LexTable.SQ_STRING;
import static org.jqmp.json.internal.LexTable.START;
import static org.jqmp.json.internal.LexTable.TABLE;
import static org.jqmp.json.internal.LexTable.TOKEN_MIN;

import org.jqmp.json.JsonDecoder;
import org.jqmp.json.JsonLimits;

/**
 * QEMU 7.2's json-lexer.c and json-streamer.c in one loop: bytes become tokens, tokens are queued until the
 * braces and brackets balance, and the queued message goes to the {@link TokenParser}. Every rule that
 * decides what a client sees is QEMU's, including the odd ones (see the comments), because QMP clients
 * and tests depend on the exact sequence of replies.
 */
public final class Streamer {
    private final JsonLimits limits;
    private final JsonDecoder.Sink sink;
    private final TokenQueue queue = new TokenQueue();
    private final TokenParser parser = new TokenParser();

    private int state = START;
    /** Length of the lexer's current token, stored at {@code queue.text[queue.textLength...]}. */
    private int tokenLength;
    private int braceCount;
    private int bracketCount;
    private long tokenSize;

    public Streamer(JsonLimits limits, JsonDecoder.Sink sink) {
        this.limits = limits;
        this.sink = sink;
    }

    public void feed(byte[] in, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            if (state == DQ_STRING || state == SQ_STRING) {
                i = stringRun(in, i, end);
                if (i == end) {
                    break;
                }
            }
            step(in[i++] & 0xFF);
        }
    }

    /** Copies the plain bytes of a string body in one go; the same as stepping them one by one. */
    private int stringRun(byte[] in, int i, int end) {
        int quote = state == DQ_STRING ? '"' : '\'';
        int j = i;
        while (j < end) {
            int b = in[j] & 0xFF;
            if (b < 0x20 || b > 0xFD || b == quote || b == '\\') {
                break;
            }
            j++;
        }
        long room = limits.maxTokenSize() + 1 - tokenLength; // json_lexer_feed_char checks after each byte
        int n = (int) Math.min(j - i, Math.max(0, room));
        if (n > 0) {
            System.arraycopy(in, i, queue.reserve(tokenLength + n), queue.textLength + tokenLength, n);
            tokenLength += n;
            checkTokenLength();
        }
        return i + n;
    }

    /** json_lexer_feed_char(): one byte, re-read after a token that needed it as lookahead. */
    private void step(int b) {
        while (true) {
            int next = TABLE[state << 8 | b] & 0xFF;
            boolean consumed = next < LOOKAHEAD;
            next &= ~LOOKAHEAD;
            if (consumed && next != START && next != RECOVERY) {
                queue.reserve(tokenLength + 1)[queue.textLength + tokenLength++] = (byte) b;
            }
            transition(next);
            if (consumed) {
                break;
            }
        }
        checkTokenLength();
    }

    private void transition(int next) {
        if (next >= TOKEN_MIN) {
            token(next);
            tokenLength = 0;
            state = START;
        } else if (next == ERROR) {
            String stray = ModifiedUtf8.display(queue.text, queue.textLength, queue.textLength + tokenLength);
            tokenLength = 0;
            state = RECOVERY;
            fail("JSON parse error, stray '" + stray + "'");
        } else if (next == START || next == RECOVERY) {
            tokenLength = 0;
            state = next;
        } else {
            state = next;
        }
    }

    /**
     * A single token may not grow past the size limit: json-lexer.c hands the partial token to the streamer,
     * which rejects it, and starts over in the start state, so the rest of the token is read as new input
     * (observed on QEMU 7.2: the rest of an overlong string comes back as keyword and other errors).
     */
    private void checkTokenLength() {
        if (tokenLength > limits.maxTokenSize()) {
            tokenLength = 0;
            state = START;
            fail("JSON token size limit exceeded");
        }
    }

    /** json_message_process_token() for a finished token. */
    private void token(int type) {
        switch (type) {
            case LCURLY -> braceCount++;
            case RCURLY -> braceCount--;
            case LSQUARE -> bracketCount++;
            case RSQUARE -> bracketCount--;
            default -> {
            }
        }
        if (tokenSize + tokenLength + 1 > limits.maxTokenSize()) {
            fail("JSON token size limit exceeded");
            return;
        }
        if (queue.count + 1L > limits.maxTokenCount()) {
            fail("JSON token count limit exceeded");
            return;
        }
        if (bracketCount + braceCount > limits.maxNesting()) {
            fail("JSON nesting depth limit exceeded");
            return;
        }
        tokenSize += tokenLength;
        queue.push(type, tokenLength, type >= LexTable.INTEGER);
        // The message ends when both counts are back to zero or either goes negative (observed on QEMU 7.2:
        // "[}" is answered at once with "expecting value"; "[}]" gets a second error for the lone ']').
        if ((braceCount > 0 || bracketCount > 0) && braceCount >= 0 && bracketCount >= 0) {
            return;
        }
        TokenParser.Result r = parser.parse(queue);
        clear();
        emit(r);
    }

    /** json_lexer_flush() then JSON_END_OF_INPUT: finish or reject the pending token, parse what is queued. */
    public void flush() {
        while (state != START) {
            transition(TABLE[state << 8] & 0xFF & ~LOOKAHEAD); // a zero byte that is never consumed
        }
        if (queue.count == 0) {
            return;
        }
        TokenParser.Result r = parser.parse(queue);
        clear();
        emit(r);
    }

    public long retainedBytes() {
        return queue.retainedBytes();
    }

    public void reset() {
        clear();
        tokenLength = 0;
        state = START;
    }

    private void fail(String message) {
        clear();
        sink.error(message);
    }

    private void emit(TokenParser.Result r) {
        if (r.value() != null) {
            sink.value(r.value());
        } else {
            sink.error(r.error());
        }
    }

    private void clear() {
        queue.clear();
        braceCount = 0;
        bracketCount = 0;
        tokenSize = 0;
    }
}
