package org.jqmp.json;

import java.nio.charset.StandardCharsets;

/**
 * Whole-text conveniences over {@link JsonDecoder} and {@link JsonEncoder}, for tests, schemas, fixtures and
 * command lines. Parsing follows QEMU's {@code qobject_from_json}: the text must hold exactly one value.
 */
public final class Json {
    private Json() {
    }

    /** Parses exactly one value from UTF-8 text; throws {@link JsonException} with QEMU's error text. */
    public static JsonValue parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses exactly one value from bytes in QEMU's dialect (modified UTF-8), with QEMU's limits. */
    public static JsonValue parse(byte[] bytes) {
        One one = new One();
        JsonDecoder decoder = new JsonDecoder(JsonLimits.QEMU, one);
        decoder.feed(bytes, 0, bytes.length);
        decoder.end();
        return one.result();
    }

    /** The value in QEMU's compact form: {@code {"a": 1, "b": [true, null]}}. */
    public static String write(JsonValue value) {
        return JsonEncoder.encode(value, false);
    }

    /** The value in QEMU's pretty form ({@code -qmp-pretty}), lines separated by {@code "\n"}. */
    public static String writePretty(JsonValue value) {
        return JsonEncoder.encode(value, true);
    }

    /** qobject_from_json()'s consume_json(): keeps the first error, and refuses a second value. */
    private static final class One implements JsonDecoder.Sink {
        private JsonValue value;
        private String error;

        @Override
        public void value(JsonValue v) {
            consume(v, null);
        }

        @Override
        public void error(String message) {
            consume(null, message);
        }

        private void consume(JsonValue v, String message) {
            if (value != null) {
                value = null;
                error = "Expecting at most one JSON value";
            }
            if (error == null) {
                value = v;
                error = message;
            }
        }

        JsonValue result() {
            if (error != null) {
                throw new JsonException(error);
            }
            if (value == null) {
                throw new JsonException("Expecting a JSON value");
            }
            return value;
        }
    }
}
