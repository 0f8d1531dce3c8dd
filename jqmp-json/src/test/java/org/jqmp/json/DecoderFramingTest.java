package org.jqmp.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Message framing as json-streamer.c does it (reference 1.1): no delimiter, balance ends a message. */
class DecoderFramingTest {

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void objectNeedsNoDelimiter(FeedMode mode) {
        assertThat(mode.decodeStream("{\"execute\":\"query-status\"}"))
                .containsExactly("{\"execute\": \"query-status\"}");
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void severalMessagesInOneChunk(FeedMode mode) {
        // bare-protocol.jsonl: two commands on one line give two replies
        assertThat(mode.decodeStream("{\"execute\":\"query-name\"} {\"execute\":\"query-uuid\"}"))
                .containsExactly("{\"execute\": \"query-name\"}", "{\"execute\": \"query-uuid\"}");
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void oneMessageOverManyLines(FeedMode mode) {
        assertThat(mode.decodeStream("{\n  \"execute\":\n\t\"stop\",\r\n  \"id\": [1,\n2]\n}"))
                .containsExactly("{\"execute\": \"stop\", \"id\": [1, 2]}");
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void topLevelScalarEndsWithItsToken(FeedMode mode) {
        // Observed on QEMU 7.2: "1" alone gets no reply until a byte ends the number; "1\n" gets one.
        assertThat(mode.decodeStream("1")).isEmpty();
        assertThat(mode.decodeStream("1\n")).containsExactly("1");
        assertThat(mode.decodeStream("truer")).isEmpty();
        assertThat(mode.decodeStream("\"a\" \"b\"")).containsExactly("\"a\"", "\"b\"");
        assertThat(mode.decodeStream("1 2")).containsExactly("1"); // "2" still pending
        assertThat(mode.decodeStream("null[]{}")).containsExactly("null", "[]", "{}");
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void endCompletesAPendingScalar(FeedMode mode) {
        assertThat(mode.decode("1 2")).containsExactly("1", "2");
        assertThat(mode.decode("true")).containsExactly("true");
        assertThat(mode.decode("-0.5e3")).containsExactly("-500");
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void endReportsAnUnfinishedMessage(FeedMode mode) {
        assertThat(mode.decode("{\"a\":1")).containsExactly("error: JSON parse error, premature EOI");
        assertThat(mode.decode("[1e")).containsExactly("error: JSON parse error, stray '1e'");
        assertThat(mode.decode("\"abc")).containsExactly("error: JSON parse error, stray '\"abc'");
        assertThat(mode.decode("   \n")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void extraClosingBracketIsItsOwnMessage(FeedMode mode) {
        // Observed on QEMU 7.2: {"a":1}} is a value, then "expecting value" for the lone '}'.
        assertThat(mode.decodeStream("{\"a\":1}}"))
                .containsExactly("{\"a\": 1}", "error: JSON parse error, expecting value");
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void aNegativeCountEndsTheMessage(FeedMode mode) {
        // Observed on QEMU 7.2: "[}" is answered at once; in "[}]" the lone ']' is a second message.
        assertThat(mode.decodeStream("[}")).containsExactly("error: JSON parse error, expecting value");
        assertThat(mode.decodeStream("[}]")).containsExactly(
                "error: JSON parse error, expecting value", "error: JSON parse error, expecting value");
        assertThat(mode.decodeStream("{]")).containsExactly("error: JSON parse error, expecting value");
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void resetForgetsPartialInput(FeedMode mode) {
        List<String> out = new ArrayList<>();
        JsonDecoder decoder = new JsonDecoder(JsonLimits.QEMU, new JsonDecoder.Sink() {
            @Override
            public void value(JsonValue value) {
                out.add(JsonEncoder.encode(value, false));
            }

            @Override
            public void error(String message) {
                out.add("error: " + message);
            }
        });
        mode.feed(decoder, FeedMode.bytes("{\"execute\": \"sto"));
        decoder.reset();
        mode.feed(decoder, FeedMode.bytes("{\"execute\":\"cont\"}"));
        assertThat(out).containsExactly("{\"execute\": \"cont\"}");
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void singleQuotedStrings(FeedMode mode) {
        assertThat(mode.decodeStream("{'execute':'query-version','id':'single-quoted'}"))
                .containsExactly("{\"execute\": \"query-version\", \"id\": \"single-quoted\"}");
        assertThat(mode.decodeStream("['a\"b', \"c'd\", 'e\\'f', \"g\\'h\"]"))
                .containsExactly("[\"a\\\"b\", \"c'd\", \"e'f\", \"g'h\"]");
    }
}
