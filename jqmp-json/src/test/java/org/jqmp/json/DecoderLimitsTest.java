package org.jqmp.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The streamer's limits (reference 1.10) and what follows when one is hit: QEMU drops the queued tokens,
 * reports the limit, and reads the rest of the message as new input, which usually produces more replies.
 * The cascades below were observed on QEMU 7.2; the small-limit cases apply the same rules to
 * {@link JsonLimits} values other than QEMU's.
 */
class DecoderLimitsTest {
    private static final String ERR = "error: JSON parse error, ";
    private static final String NESTING = "error: JSON nesting depth limit exceeded";
    private static final String COUNT = "error: JSON token count limit exceeded";
    private static final String SIZE = "error: JSON token size limit exceeded";
    private static final int MAX_TOKENS = 2 << 20;
    private static final int MAX_SIZE = 64 << 20;

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void nesting1024PassesAnd1025Fails(FeedMode mode) {
        assertThat(mode.decodeStream("[".repeat(1024) + "]".repeat(1024)))
                .containsExactly("[".repeat(1024) + "]".repeat(1024));
        // observed: 1026 replies, the limit and then one "expecting value" per ']'
        assertThat(mode.decodeStream("[".repeat(1025) + "]".repeat(1025)))
                .containsExactlyElementsOf(concat(List.of(NESTING), repeat(ERR + "expecting value", 1025)));
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void nestingCascadeReadsTheRestAsNewMessages(FeedMode mode) {
        // observed: 1029 replies
        assertThat(mode.decodeStream("{\"a\":".repeat(1025) + "1" + "}".repeat(1025))).containsExactlyElementsOf(
                concat(List.of(NESTING, "\"a\"", ERR + "expecting value", "1"), repeat(ERR + "expecting value", 1025)));
        // observed: 1027 replies
        assertThat(mode.decodeStream("[".repeat(1025) + "1" + "]".repeat(1025) + "\n"))
                .containsExactlyElementsOf(concat(List.of(NESTING, "1"), repeat(ERR + "expecting value", 1025)));
        // observed: one reply; the five brackets after the limit open a new message that stays open
        assertThat(mode.decodeStream("[".repeat(1030))).containsExactly(NESTING);
        assertThat(mode.decodeStream("[".repeat(1024) + "{\"execute\":\"query-name\"}")).containsExactly(
                NESTING, "\"execute\"", ERR + "expecting value", "\"query-name\"", ERR + "expecting value");
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void tokenCountLimit(FeedMode mode) {
        // [ [] , 1 , ... 1 ]: exactly 2,097,152 tokens parse (observed); with ",1" more, the 2,097,153rd
        // token is refused and the ']' is a message of its own (observed)
        List<String> ok = mode.decode(tokens("[[],", MAX_TOKENS / 2 - 3, "1]"), JsonLimits.QEMU, false);
        assertThat(ok).hasSize(1);
        assertThat(ok.getFirst()).startsWith("[[], 1, 1");
        assertThat(mode.decode(tokens("[[],", MAX_TOKENS / 2 - 3, "1,1]"), JsonLimits.QEMU, false))
                .containsExactly(COUNT, ERR + "expecting value");
        // observed: one more token, and the ']' that would close the array is the one that fails
        assertThat(mode.decode(tokens("[", MAX_TOKENS / 2 - 1, "1]"), JsonLimits.QEMU, false)).containsExactly(COUNT);
        // observed: the tokens after the limit come back as their own messages
        assertThat(mode.decode(tokens("[", MAX_TOKENS / 2 - 1, "1,1]"), JsonLimits.QEMU, false))
                .containsExactly(COUNT, "1", ERR + "expecting value");
        assertThat(mode.decode(tokens("[", MAX_TOKENS / 2 - 1, "\"a\",\u00FF"), JsonLimits.QEMU, false))
                .containsExactly(COUNT, ERR + "stray '\uFFFD'");
    }

    @Test
    void tokenSizeLimitWithQemusSixtyFourMebibytes() {
        // The sum of token lengths plus one must stay within the limit (observed: a string token of
        // 2^26 - 3 bytes inside [ ] parses; one byte more and the ']' fails; two more and the string fails).
        FeedMode mode = FeedMode.WHOLE;
        assertThat(mode.decode(stringInArray(MAX_SIZE - 3), JsonLimits.QEMU, false)).hasSize(1);
        assertThat(mode.decode(stringInArray(MAX_SIZE - 2), JsonLimits.QEMU, false)).containsExactly(SIZE);
        assertThat(mode.decode(stringInArray(MAX_SIZE - 1), JsonLimits.QEMU, false))
                .containsExactly(SIZE, ERR + "expecting value");
    }

    @Test
    void overlongTokenIsCutByTheLexerAndTheRestReadAsNewInput() {
        // observed: a quote, 2^26 + 10 letters, a quote, a newline gives three replies: the limit when the
        // token passes 2^26 bytes, the ten remaining letters as a keyword, and the final quote opening a
        // string that the newline breaks.
        byte[] in = new byte[MAX_SIZE + 13];
        java.util.Arrays.fill(in, (byte) 'a');
        in[0] = '"';
        in[MAX_SIZE + 11] = '"';
        in[MAX_SIZE + 12] = '\n';
        assertThat(FeedMode.WHOLE.decode(in, JsonLimits.QEMU, false))
                .containsExactly(SIZE, ERR + "invalid keyword 'aaaaaaaaaa'", ERR + "stray '\"\n'");
        // observed: with exactly 2^26 letters the cut leaves nothing but the closing quote and the newline
        assertThat(FeedMode.WHOLE.decode(quoted(MAX_SIZE), JsonLimits.QEMU, false))
                .containsExactly(SIZE, ERR + "stray '\"\n'");
        // observed: a complete string token of 2^26 + 1 bytes is refused by the streamer, once
        assertThat(FeedMode.WHOLE.decode(quoted(MAX_SIZE - 1), JsonLimits.QEMU, false)).containsExactly(SIZE);
    }

    /** A quote, n letters, a quote, a newline. */
    private static byte[] quoted(int n) {
        byte[] in = new byte[n + 3];
        java.util.Arrays.fill(in, (byte) 'a');
        in[0] = '"';
        in[n + 1] = '"';
        in[n + 2] = '\n';
        return in;
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void smallLimitsFollowTheSameRules(FeedMode mode) {
        JsonLimits limits = new JsonLimits(10, 5, 2);
        assertThat(decode(mode, "[[1]]", limits)).containsExactly("[[1]]");
        assertThat(decode(mode, "[[[1]]]", limits)).containsExactly("error: JSON nesting depth limit exceeded",
                "1", ERR + "expecting value", ERR + "expecting value", ERR + "expecting value");
        assertThat(decode(mode, "[1,2]", limits)).containsExactly("[1, 2]");
        // the sixth token, 3, is the one refused; ']' then stands alone
        assertThat(decode(mode, "[1,2,3]", limits)).containsExactly(COUNT, ERR + "expecting value");
        assertThat(decode(mode, "[1,2,3,4]", limits))
                .containsExactly(COUNT, ERR + "expecting value", "4", ERR + "expecting value");
        // token text: 1 + 7 + 1 = 9, plus one, is 10: fits; a longer string does not
        assertThat(decode(mode, "[\"abcde\"]", limits)).containsExactly("[\"abcde\"]");
        assertThat(decode(mode, "[\"abcdef\"]", limits)).containsExactly(SIZE);
        // a single token longer than the limit is cut after limit + 1 bytes
        assertThat(decode(mode, "\"abcdefghijklmn\"\n", limits))
                .containsExactly(SIZE, ERR + "invalid keyword 'klmn'", ERR + "stray '\"\n'");
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void memoryStaysBoundedOnEndlessInput(FeedMode mode) {
        JsonLimits limits = new JsonLimits(1024, 64, 8);
        List<String> errors = new ArrayList<>();
        JsonDecoder decoder = new JsonDecoder(limits, new JsonDecoder.Sink() {
            @Override
            public void value(JsonValue value) {
                errors.add("value");
            }

            @Override
            public void error(String message) {
                errors.add(message);
            }
        });
        byte[] chunk = new byte[100_000];
        java.util.Arrays.fill(chunk, (byte) 'a');
        mode.feed(decoder, new byte[] {'"'});
        long most = 0;
        for (int i = 0; i < 20; i++) {
            mode.feed(decoder, chunk);
            most = Math.max(most, decoder.retainedBytes());
        }
        // one string cut, then an endless keyword cut every 1025 bytes
        assertThat(errors).hasSize(1 + (20 * 100_000 - 1024) / 1025).allMatch(e -> e.equals(SIZE.substring(7)));
        assertThat(most).isLessThanOrEqualTo(2 * 1024 + 9 * 64 + 8192 + 1024);
        decoder.reset();
        assertThat(decoder.retainedBytes()).isLessThan(4096 + 8192);
    }

    private static List<String> decode(FeedMode mode, String s, JsonLimits limits) {
        return mode.decode(FeedMode.bytes(s), limits, false);
    }

    private static byte[] tokens(String head, int ones, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ones * 2 + 16);
        out.writeBytes(FeedMode.bytes(head));
        byte[] pair = {'1', ','};
        for (int i = 0; i < ones; i++) {
            out.write(pair, 0, 2);
        }
        out.writeBytes(FeedMode.bytes(tail));
        return out.toByteArray();
    }

    /** ["aaa...a"] where the string token, quotes included, is {@code tokenLength} bytes. */
    private static byte[] stringInArray(int tokenLength) {
        byte[] in = new byte[tokenLength + 2];
        java.util.Arrays.fill(in, (byte) 'a');
        in[0] = '[';
        in[1] = '"';
        in[tokenLength] = '"';
        in[tokenLength + 1] = ']';
        return in;
    }

    private static List<String> repeat(String s, int n) {
        return Collections.nCopies(n, s);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
