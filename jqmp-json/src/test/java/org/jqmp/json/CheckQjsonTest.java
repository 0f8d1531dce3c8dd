package org.jqmp.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The cases of QEMU's tests/unit/check-qjson.c (reference 6.2), as single-value parses with a final flush. */
class CheckQjsonTest {
    private static final String ERR = "error: JSON parse error, ";

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void escapedStrings(FeedMode mode) {
        assertThat(mode.decode("\"\\b\\f\\n\\r\\t\\\\\\\"\\/\\'\"")).containsExactly("\"\\b\\f\\n\\r\\t\\\\\\\"/'\"");
        assertThat(mode.decode("\"\\u0000\\u0041\\u00e9\\uD834\\uDD1E\"")).containsExactly("\"\\u0000A\\u00E9\\uD834\\uDD1E\"");
        assertThat(mode.decode("'single \"quoted\"'")).containsExactly("\"single \\\"quoted\\\"\"");
        // unpaired and backward surrogates, noncharacters
        assertThat(mode.decode("\"\\uDC00\\uD800\"")).containsExactly(ERR + "\\uDC00 is not a valid Unicode character");
        assertThat(mode.decode("\"\\uD800x\"")).containsExactly(ERR + "\\uD800 is not a valid Unicode character");
        assertThat(mode.decode("\"\\uFDEF\"")).containsExactly(ERR + "\\uFDEF is not a valid Unicode character");
        assertThat(mode.decode("\"\\uD83F\\uDFFE\"")).containsExactly(ERR + "\\uD83F\\uDFFE is not a valid Unicode character");
        assertThat(mode.decode("\"\\uDBFF\\uDFFF\"")).containsExactly(ERR + "\\uDBFF\\uDFFF is not a valid Unicode character");
    }

    @Test
    void escapedNulIsAJavaNul() {
        assertThat(Json.parse("\"a\\u0000b\"")).isEqualTo(new JsonString("a\0b"));
        // modified UTF-8: C0 80 is U+0000 too
        assertThat(Json.parse(FeedMode.bytes("\"a\u00C0\u0080b\""))).isEqualTo(new JsonString("a\0b"));
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void utf8AfterKuhn(FeedMode mode) {
        // first and last sequences of each length; U+FFFD itself
        assertThat(mode.decode("\"\u00C2\u0080\u00DF\u00BF\u00E0\u00A0\u0080\u00EF\u00BF\u00BD\u00F0\u0090\u0080\u0080\u00F4\u008F\u00BF\u00BD\""))
                .containsExactly("\"\\u0080\\u07FF\\u0800\\uFFFD\\uD800\\uDC00\\uDBFF\\uDFFD\"");
        String invalid = ERR + "invalid UTF-8 sequence in string";
        for (String s : new String[] {
            "\u0080", "\u00BF", // lone continuation bytes
            "\u00C0\u00AF", "\u00E0\u0080\u00AF", "\u00F0\u0080\u0080\u00AF", // overlong slash
            "\u00F8\u0088\u0080\u0080\u0080", "\u00FC\u0084\u0080\u0080\u0080\u0080", // 5 and 6 bytes
            "\u00C3", "\u00E2\u0082", // sequences cut short
            "\u00ED\u00A0\u0080", "\u00ED\u00BF\u00BF", // surrogates
            "\u00EF\u00BF\u00BE", "\u00EF\u00B7\u0090", "\u00F4\u008F\u00BF\u00BF", // noncharacters
            "\u00F4\u0090\u0080\u0080", // above U+10FFFF
        }) {
            assertThat(mode.decode("\"" + s + "\"")).as(s).containsExactly(invalid);
        }
        // 0xFE and 0xFF are not even allowed in a string: lexical errors
        assertThat(mode.decode("\"a\u00FEb\"")).containsExactly(ERR + "stray '\"a\uFFFD'");
    }

    @Test
    void numbersKeepQemusKinds() {
        assertThat(Json.parse("9223372036854775807")).isEqualTo(new JsonInt(Long.MAX_VALUE));
        assertThat(Json.parse("-9223372036854775808")).isEqualTo(new JsonInt(Long.MIN_VALUE));
        assertThat(Json.parse("9223372036854775808")).isEqualTo(new JsonUint(Long.MIN_VALUE));
        assertThat(Json.parse("18446744073709551615")).isEqualTo(new JsonUint(-1L));
        assertThat(Json.parse("18446744073709551616")).isEqualTo(new JsonDouble(18446744073709551616.0));
        assertThat(Json.parse("-9223372036854775809")).isEqualTo(new JsonDouble(-9223372036854775809.0));
        assertThat(Json.parse("-0")).isEqualTo(new JsonInt(0));
        assertThat(Json.parse("-0.0")).isEqualTo(new JsonDouble(-0.0));
        assertThat(Json.parse("1.5e3")).isEqualTo(new JsonDouble(1500));
        assertThat(Json.parse("0")).isEqualTo(new JsonInt(0));
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void keywords(FeedMode mode) {
        assertThat(mode.decode("true false null")).containsExactly("true", "false", "null");
        assertThat(mode.decode("nul")).containsExactly(ERR + "invalid keyword 'nul'");
        assertThat(mode.decode("True")).containsExactly(ERR + "stray 'T'");
    }

    @ParameterizedTest
    @EnumSource(FeedMode.class)
    void errors(FeedMode mode) {
        assertThat(mode.decode("")).isEmpty();
        assertThat(mode.decode("\n ")).isEmpty();
        assertThat(mode.decode("@")).containsExactly(ERR + "stray '@'");
        assertThat(mode.decode("{\u0001")).containsExactly(ERR + "stray '\u0001'");
        assertThat(mode.decode("[0\u00FF]")).containsExactly(ERR + "stray '\uFFFD'", ERR + "expecting value");
        assertThat(mode.decode("00")).containsExactly(ERR + "stray '00'");
        assertThat(mode.decode("[1e")).containsExactly(ERR + "stray '1e'");
        assertThat(mode.decode("truer")).containsExactly(ERR + "invalid keyword 'truer'");
        assertThat(mode.decode("\"abc")).containsExactly(ERR + "stray '\"abc'");
        assertThat(mode.decode("\"abc\\")).containsExactly(ERR + "stray '\"abc\\'");
        assertThat(mode.decode("'abc")).containsExactly(ERR + "stray ''abc'");
        assertThat(mode.decode("[32")).containsExactly(ERR + "premature EOI");
        assertThat(mode.decode("[32,")).containsExactly(ERR + "premature EOI");
        assertThat(mode.decode("{'abc':32")).containsExactly(ERR + "premature EOI");
        assertThat(mode.decode("{'abc':32,")).containsExactly(ERR + "premature EOI");
        assertThat(mode.decode("{'abc'")).containsExactly(ERR + "premature EOI");
        assertThat(mode.decode("{'abc':")).containsExactly(ERR + "premature EOI");
        assertThat(mode.decode("[32,}")).containsExactly(ERR + "expecting value");
        assertThat(mode.decode("{'abc':32,}")).containsExactly(ERR + "expecting value");
        assertThat(mode.decode("{32:'abc'}")).containsExactly(ERR + "key is not a string in object");
    }

    @Test
    void singleValueParseRefusesMore() {
        assertThatThrownBy(() -> Json.parse("false true")).isInstanceOf(JsonException.class)
                .hasMessage("Expecting at most one JSON value");
        assertThatThrownBy(() -> Json.parse("} true")).hasMessage("JSON parse error, expecting value");
        assertThatThrownBy(() -> Json.parse("")).hasMessage("Expecting a JSON value");
        assertThatThrownBy(() -> Json.parse("{\u0001")).hasMessage("JSON parse error, stray '\u0001'");
    }

    @Test
    void nesting() {
        assertThat(Json.parse("[".repeat(1024) + "]".repeat(1024))).isInstanceOf(JsonArray.class);
        assertThatThrownBy(() -> Json.parse("[".repeat(1025) + "]".repeat(1025)))
                .hasMessage("JSON nesting depth limit exceeded");
    }

    @Test
    void largeDictAndListRoundTrip() {
        StringBuilder in = new StringBuilder("{");
        for (int i = 0; i < 5000; i++) {
            in.append(i == 0 ? "" : ",").append("\"key").append(i).append("\":[").append(i).append(",\"v\",null]");
        }
        JsonObject o = (JsonObject) Json.parse(in.append('}').toString());
        assertThat(o.size()).isEqualTo(5000);
        assertThat(Json.parse(Json.write(o))).isEqualTo(o);
        assertThat(Json.parse(Json.writePretty(o))).isEqualTo(o);
    }
}
