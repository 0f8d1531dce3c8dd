package org.jqmp.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Error texts, one error per bad message, and recovery (reference 1.10, 1.11). Every expected output here
 * was observed on QEMU 7.2 (Debian 1:7.2+dfsg-7+deb12u18), by sending the same bytes to its QMP socket.
 */
class DecoderErrorTest {
    private static final String ERR = "error: JSON parse error, ";

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void malformedStepsOfTheBareProtocolFixture(FeedMode mode) {
        assertThat(mode.decodeStream("{ \"execute\": }")).containsExactly(ERR + "expecting value");
        assertThat(mode.decodeStream("{]")).containsExactly(ERR + "expecting value");
        assertThat(mode.decodeStream("{\"execute\":\"query-status\",}")).containsExactly(ERR + "expecting value");
        assertThat(mode.decodeStream("{\"a\":1,\"a\":2}")).containsExactly(ERR + "duplicate key");
        assertThat(mode.decodeStream("{\"execute\":\"query-status\",\"execute\":\"query-name\"}"))
                .containsExactly(ERR + "duplicate key");
        assertThat(mode.decodeStream("{\"execute\": \"query-status\" \"id\": 1}"))
                .containsExactly(ERR + "expected separator in dict");
        assertThat(mode.decodeStream("truer\n")).containsExactly(ERR + "invalid keyword 'truer'");
        // "%%p": the first '%' is the error, the second is skipped in recovery, and so is 'p'
        assertThat(mode.decodeStream("%%p\n")).containsExactly(ERR + "stray '%'");
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void resyncWithFF(FeedMode mode) {
        // qmp-test: "{\xFF" gives exactly one error, then the next command is read normally.
        assertThat(mode.decodeStream("{\u00FF{'execute':'no-such-cmd'}"))
                .containsExactly(ERR + "stray '\uFFFD'", "{\"execute\": \"no-such-cmd\"}");
        assertThat(mode.decodeStream("\u00FF{\"execute\":\"query-name\"}"))
                .containsExactly(ERR + "stray '\uFFFD'", "{\"execute\": \"query-name\"}");
        // 0xFF and 0xFE are errors in every state, so each one is reported, even in recovery
        assertThat(mode.decodeStream("\u00FF\u00FF")).containsExactly(ERR + "stray '\uFFFD'", ERR + "stray '\uFFFD'");
        assertThat(mode.decodeStream("\u00FE")).containsExactly(ERR + "stray '\uFFFD'");
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void qmpTestMalformedInputs(FeedMode mode) {
        assertThat(mode.decodeStream("{\u0001")).containsExactly(ERR + "stray '\u0001'");
        // the stray text is the whole token read so far, including the bad byte
        assertThat(mode.decodeStream("{'bad \u00FF")).containsExactly(ERR + "stray ''bad \uFFFD'");
        assertThat(mode.decodeStream("{'execute': 'nonexistent', 'id':'\n"))
                .containsExactly(ERR + "stray ''\n'");
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void recoverySkipsToStructuralOrControlCharacters(FeedMode mode) {
        // '\n' and '\r' end recovery (then are whitespace); tab, space and other bytes are skipped
        assertThat(mode.decodeStream("@abc\n\"x\"")).containsExactly(ERR + "stray '@'", "\"x\"");
        assertThat(mode.decodeStream("@abc \"x\"\n")).containsExactly(ERR + "stray '@'");
        assertThat(mode.decodeStream("@abc\t\"x\"\n")).containsExactly(ERR + "stray '@'");
        assertThat(mode.decodeStream("@\r")).containsExactly(ERR + "stray '@'");
        // a control character other than \t \r \n ends recovery and is itself an error
        assertThat(mode.decodeStream("@\u0001")).containsExactly(ERR + "stray '@'", ERR + "stray '\u0001'");
        assertThat(mode.decodeStream("@ \u007F\u001F")).containsExactly(ERR + "stray '@'", ERR + "stray '\u001F'");
        // structural characters end recovery and count again
        assertThat(mode.decodeStream("{\u00C3\u00A9}"))
                .containsExactly(ERR + "stray '\uFFFD'", ERR + "expecting value");
        assertThat(mode.decodeStream("[0\u00FF]")).containsExactly(ERR + "stray '\uFFFD'", ERR + "expecting value");
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void strayTextIsEchoedAsQemusWriterWouldShowIt(FeedMode mode) {
        // a NUL byte ends the C string: nothing of it, nor after it, is echoed
        assertThat(mode.decodeStream("\u0000")).containsExactly(ERR + "stray ''");
        assertThat(mode.decodeStream("'ab\u0000cd'")).containsExactly(ERR + "stray ''ab'");
        // valid UTF-8 inside a string token is echoed as characters; each invalid sequence as one U+FFFD
        assertThat(mode.decodeStream("\"\u00C3\u00A9\u0001")).containsExactly(ERR + "stray '\"\u00E9\u0001'");
        assertThat(mode.decodeStream("\"\u00F0\u009F\u0098\u0080\u00F0\u009F\u0098\u0001"))
                .containsExactly(ERR + "stray '\"\uD83D\uDE00\uFFFD\u0001'");
        // outside strings every non-ASCII byte is its own one-byte error token
        assertThat(mode.decodeStream("{ab\u00C3\u00A9 }")).containsExactly(ERR + "stray '\uFFFD'", ERR + "expecting value");
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void numbersThatAreLexicalErrors(FeedMode mode) {
        assertThat(mode.decodeStream("00")).containsExactly(ERR + "stray '00'");
        assertThat(mode.decodeStream("[01]")).containsExactly(ERR + "stray '01'", ERR + "expecting value");
        // the byte that breaks a number is part of the stray token, so a ']' there is not counted
        assertThat(mode.decodeStream("[1.]")).containsExactly(ERR + "stray '1.]'");
        assertThat(mode.decodeStream("[.5]")).containsExactly(ERR + "stray '.'", ERR + "expecting value");
        assertThat(mode.decodeStream("[+1]")).containsExactly(ERR + "stray '+'", ERR + "expecting value");
        assertThat(mode.decodeStream("[-]")).containsExactly(ERR + "stray '-]'");
        assertThat(mode.decodeStream("[-a]")).containsExactly(ERR + "stray '-a'", ERR + "expecting value");
        assertThat(mode.decodeStream("[1e]")).containsExactly(ERR + "stray '1e]'");
        assertThat(mode.decodeStream("[1e+]")).containsExactly(ERR + "stray '1e+]'");
        assertThat(mode.decodeStream("[Inf]")).containsExactly(ERR + "stray 'I'", ERR + "expecting value");
        assertThat(mode.decodeStream("[NaN]")).containsExactly(ERR + "stray 'N'", ERR + "expecting value");
        assertThat(mode.decodeStream("[-01]")).containsExactly(ERR + "stray '-01'", ERR + "expecting value");
        assertThat(mode.decodeStream("[1.e5]")).containsExactly(ERR + "stray '1.e'", ERR + "expecting value");
        assertThat(mode.decodeStream("[1e\n")).containsExactly(ERR + "stray '1e\n'");
        // "0x10" lexes as 0, keyword x, 10
        assertThat(mode.decodeStream("[0x10]")).containsExactly(ERR + "expected separator in list");
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void stringErrors(FeedMode mode) {
        assertThat(mode.decodeStream(id("\"\\uD800\""))).containsExactly(ERR + "\\uD800 is not a valid Unicode character");
        assertThat(mode.decodeStream(id("\"\\uD800\\u0041\""))).containsExactly(ERR + "\\uD800 is not a valid Unicode character");
        assertThat(mode.decodeStream(id("\"\\uDC00\""))).containsExactly(ERR + "\\uDC00 is not a valid Unicode character");
        assertThat(mode.decodeStream(id("\"\\u12G4\""))).containsExactly(ERR + "\\u12G4 is not a valid Unicode character");
        // "%.*s" runs past the closing quote and stops at the token's end
        assertThat(mode.decodeStream(id("\"\\u12\""))).containsExactly(ERR + "\\u12\" is not a valid Unicode character");
        assertThat(mode.decodeStream(id("\"\\u1\""))).containsExactly(ERR + "\\u1\" is not a valid Unicode character");
        assertThat(mode.decodeStream(id("\"\\uFFFF\""))).containsExactly(ERR + "\\uFFFF is not a valid Unicode character");
        assertThat(mode.decodeStream(id("\"\\uFDD0\""))).containsExactly(ERR + "\\uFDD0 is not a valid Unicode character");
        assertThat(mode.decodeStream(id("\"\\uD83F\\uDFFE\"")))
                .containsExactly(ERR + "\\uD83F\\uDFFE is not a valid Unicode character");
        assertThat(mode.decodeStream(id("\"\\uDBFF\\uDFFF\"")))
                .containsExactly(ERR + "\\uDBFF\\uDFFF is not a valid Unicode character");
        assertThat(mode.decodeStream(id("\"\\x\""))).containsExactly(ERR + "invalid escape sequence in string");
        assertThat(mode.decodeStream(id("\"\\\u00C3\u00A9\""))).containsExactly(ERR + "invalid escape sequence in string");
        for (String bad : new String[] {"\u00EF\u00BF\u00BE", "\u00C0\u00AF", "\u00E0\u0080\u00AF", "\u00F4\u0090\u0080\u0080",
            "\u00ED\u00A0\u0080", "\u00C0\u0080\u00E9x", "\u00F0\u009F\u0098"}) {
            assertThat(mode.decodeStream(id("\"" + bad + "\""))).containsExactly(ERR + "invalid UTF-8 sequence in string");
        }
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void longKeywordMessageIsCutAt1023Bytes(FeedMode mode) {
        // parse_error() formats into char[1024] (observed on QEMU 7.2 with a 2000-letter keyword)
        String word = "a".repeat(2000);
        String message = "invalid keyword '" + word;
        assertThat(mode.decodeStream(word + " ")).containsExactly(ERR + message.substring(0, 1023));
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void onlyTheFirstErrorOfAMessage(FeedMode mode) {
        assertThat(mode.decodeStream("{32:'abc' 'x'}")).containsExactly(ERR + "key is not a string in object");
        assertThat(mode.decodeStream("{'a' 1}")).containsExactly(ERR + "missing : in object pair");
        assertThat(mode.decodeStream("{'a':truer,'a':1}")).containsExactly(ERR + "invalid keyword 'truer'");
        assertThat(mode.decodeStream("[1 2,]")).containsExactly(ERR + "expected separator in list");
        // a lexical error drops the queued tokens unparsed: no syntax error for what came before it
        assertThat(mode.decodeStream("{'a' 'b' \u0001")).containsExactly(ERR + "stray '\u0001'");
    }

    private static String id(String value) {
        return "{\"execute\":\"query-name\",\"id\":" + value + "}";
    }
}
