package org.jqmp.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * QEMU's json-writer.c output. Expected texts are what QEMU 7.2 sent back when it echoed the same value as a
 * command id (observed with {"execute":"query-name","id":...}).
 */
class EncoderTest {

    @Test
    void stringEscapesAreAsciiWithUppercaseHex() {
        String id = "\u00e9\ud83d\ude00\u0000\u007f\u001f/\b\f\n\r\t\"\\'";
        assertThat(Json.write(JsonValue.of(id)))
                .isEqualTo("\"\\u00E9\\uD83D\\uDE00\\u0000\\u007F\\u001F/\\b\\f\\n\\r\\t\\\"\\\\'\"");
    }

    @Test
    void codePointsQemuCannotHoldBecomeReplacementCharacters() {
        // quoted_str() writes U+FFFD for what mod_utf8_codepoint() rejects: lone surrogates, noncharacters
        assertThat(Json.write(JsonValue.of("a\ud800b"))).isEqualTo("\"a\\uFFFDb\"");
        assertThat(Json.write(JsonValue.of("\udc00"))).isEqualTo("\"\\uFFFD\"");
        assertThat(Json.write(JsonValue.of("\uffff\ufdd0"))).isEqualTo("\"\\uFFFD\\uFFFD\"");
        assertThat(Json.write(JsonValue.of("\ud83f\udffe"))).isEqualTo("\"\\uFFFD\"");
        assertThat(Json.write(JsonValue.of("\ufffd"))).isEqualTo("\"\\uFFFD\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            2.5                    | 2.5
            0.1                    | 0.10000000000000001
            1e300                  | 1.0000000000000001e+300
            1.0                    | 1
            -0.0                   | -0
            1e-7                   | 9.9999999999999995e-08
            18446744073709551616   | 1.8446744073709552e+19
            -9223372036854775809   | -9.2233720368547758e+18
            1e400                  | inf
            -1e400                 | -inf
            1e-400                 | 0
            5e-324                 | 4.9406564584124654e-324
            123456789012345678901234567890 | 1.2345678901234568e+29
            0.5e1                  | 5
            1.7976931348623157e308 | 1.7976931348623157e+308
            1e16                   | 10000000000000000
            1e17                   | 1e+17
            123456.789e3           | 123456789
            0.0001                 | 0.0001
            0.00001                | 1.0000000000000001e-05
            1.5e-5                 | 1.5e-05
            2.2250738585072014e-308 | 2.2250738585072014e-308
            0.30000000000000004    | 0.30000000000000004
            1E-2                   | 0.01
            -1.5                   | -1.5
            0.125                  | 0.125
            1e21                   | 1e+21
            123e-20                | 1.23e-18
            4.35                   | 4.3499999999999996
            1e15                   | 1000000000000000
            12345678901234567.0    | 12345678901234568
            9.9999999999999999e22  | 9.9999999999999992e+22
            """)
    void doublesAsPercentPoint17g(String input, String qemuOutput) {
        assertThat(Json.write(Json.parse(input))).isEqualTo(qemuOutput);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            9223372036854775807  | 9223372036854775807
            9223372036854775808  | 9223372036854775808
            18446744073709551615 | 18446744073709551615
            -9223372036854775808 | -9223372036854775808
            -0                   | 0
            1E2                  | 100
            100000000000000000   | 100000000000000000
            """)
    void integersAsInt64OrUint64(String input, String qemuOutput) {
        assertThat(Json.write(Json.parse(input))).isEqualTo(qemuOutput);
    }

    @Test
    void separatorsAndEmptyContainers() {
        JsonValue v = Json.parse("{\"a\":[],\"b\":{},\"c\":[1,[2,[]],{\"x\":{}}],\"d\":\"s\"}");
        assertThat(Json.write(v)).isEqualTo("{\"d\": \"s\", \"a\": [], \"b\": {}, \"c\": [1, [2, []], {\"x\": {}}]}");
    }

    @Test
    void prettyLayoutAsQemuMinusQmpPretty() {
        // Observed on QEMU 7.2 with -qmp-pretty (the monitor then turns each \n into \r\n and adds a final one)
        JsonValue v = Json.parse("{\"return\":{},\"id\":{\"a\":[],\"b\":{},\"c\":[1,[2,[]],{\"x\":{}}],\"d\":\"s\"}}");
        assertThat(Json.writePretty(v)).isEqualTo("""
                {
                    "return": {
                    },
                    "id": {
                        "d": "s",
                        "a": [
                        ],
                        "b": {
                        },
                        "c": [
                            1,
                            [
                                2,
                                [
                                ]
                            ],
                            {
                                "x": {
                                }
                            }
                        ]
                    }
                }""");
        assertThat(Json.writePretty(Json.parse("{\"return\":{},\"id\":5}"))).isEqualTo("{\n    \"return\": {\n    },\n    \"id\": 5\n}");
        assertThat(Json.writePretty(Json.parse("[[]]"))).isEqualTo("[\n    [\n    ]\n]");
        assertThat(Json.writePretty(JsonValue.of(5))).isEqualTo("5");
    }

    @Test
    void qdictBucketOrderMatchesQemu() {
        // From the bare-protocol fixture
        assertThat(Json.write(Json.parse("{\"running\":false,\"singlestep\":false,\"status\":\"prelaunch\"}")))
                .isEqualTo("{\"status\": \"prelaunch\", \"singlestep\": false, \"running\": false}");
        assertThat(Json.write(Json.parse("{\"major\":7,\"minor\":2,\"micro\":22}")))
                .isEqualTo("{\"micro\": 22, \"minor\": 2, \"major\": 7}");
        assertThat(Json.write(Json.parse("{\"error\":{},\"id\":1}"))).isEqualTo("{\"id\": 1, \"error\": {}}");
        assertThat(Json.write(Json.parse("{\"event\":\"STOP\",\"data\":{},\"timestamp\":{}}")))
                .isEqualTo("{\"timestamp\": {}, \"event\": \"STOP\", \"data\": {}}");
    }

    @Test
    void qdictOrderWithinABucketIsNewestFirst() {
        // Observed on QEMU 7.2: 74 keys inserted in this order (k20..k29 share a bucket with k5, k40..k49
        // with k7, and so on) come back in the order below.
        StringBuilder in = new StringBuilder("{\"d\":0,\"a\":1,\"b\":2,\"c\":3,\"execute\":4,\"id\":5,\"arguments\":6,"
                + "\"return\":7,\"error\":8,\"class\":9,\"desc\":10,\"\\u00e9\":11,\"\\u0000x\":12,\"\\ud83d\\ude00\":13");
        for (int i = 0; i < 60; i++) {
            in.append(",\"k").append(i).append("\":").append(14 + i);
        }
        in.append('}');
        String qemu = "{\"k5\": 19, \"k29\": 43, \"k28\": 42, \"k27\": 41, \"k26\": 40, \"k25\": 39, \"k24\": 38, "
                + "\"k23\": 37, \"k22\": 36, \"k21\": 35, \"k20\": 34, \"d\": 0, \"k8\": 22, \"k59\": 73, \"k58\": 72, "
                + "\"k57\": 71, \"k56\": 70, \"k55\": 69, \"k54\": 68, \"k53\": 67, \"k52\": 66, \"k51\": 65, \"k50\": 64, "
                + "\"\\u00E9\": 11, \"k1\": 15, \"k4\": 18, \"k19\": 33, \"k18\": 32, \"k17\": 31, \"k16\": 30, "
                + "\"k15\": 29, \"k14\": 28, \"k13\": 27, \"k12\": 26, \"k11\": 25, \"k10\": 24, \"class\": 9, \"k7\": 21, "
                + "\"k49\": 63, \"k48\": 62, \"k47\": 61, \"k46\": 60, \"k45\": 59, \"k44\": 58, \"k43\": 57, \"k42\": 56, "
                + "\"k41\": 55, \"k40\": 54, \"\\u0000x\": 12, \"a\": 1, \"execute\": 4, \"k0\": 14, \"b\": 2, \"k3\": 17, "
                + "\"desc\": 10, \"k6\": 20, \"k39\": 53, \"k38\": 52, \"k37\": 51, \"k36\": 50, \"k35\": 49, \"k34\": 48, "
                + "\"k33\": 47, \"k32\": 46, \"k31\": 45, \"k30\": 44, \"return\": 7, \"k9\": 23, \"\\uD83D\\uDE00\": 13, "
                + "\"arguments\": 6, \"c\": 3, \"id\": 5, \"error\": 8, \"k2\": 16}";
        assertThat(Json.write(Json.parse(in.toString()))).isEqualTo(qemu);
    }

    @Test
    void encodesIntoAReusedSink() {
        ByteSink sink = new ByteSink(16);
        sink.writeAscii("prefix ");
        JsonEncoder.encode(new JsonArray(List.of(JsonValue.of(1), JsonNull.NULL)), true, sink);
        // the first value of a message has no leading newline even when the sink already holds bytes
        assertThat(sink.toString()).isEqualTo("prefix [\n    1,\n    null\n]");
        assertThat(JsonEncoder.encode(new JsonUint(-1L), false)).isEqualTo("18446744073709551615");
        assertThat(JsonEncoder.encode(new JsonDouble(Double.NaN), false)).isEqualTo("nan");
    }
}
