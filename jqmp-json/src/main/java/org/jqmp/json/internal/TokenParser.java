package org.jqmp.json.internal;

import static org.jqmp.json.internal.LexTable.COLON;
import static org.jqmp.json.internal.LexTable.COMMA;
import static org.jqmp.json.internal.LexTable.FLOAT;
import static org.jqmp.json.internal.LexTable.INTEGER;
import static org.jqmp.json.internal.LexTable.KEYWORD;
import static org.jqmp.json.internal.LexTable.LCURLY;
import static org.jqmp.json.internal.LexTable.LSQUARE;
import static org.jqmp.json.internal.LexTable.RCURLY;
import static org.jqmp.json.internal.LexTable.RSQUARE;
import static org.jqmp.json.internal.LexTable.STRING;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonBool;
import org.jqmp.json.JsonNull;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;

/**
 * Turns one framed message (a {@link TokenQueue}) into a value, or into the error text QEMU's
 * {@code qobject/json-parser.c} gives for it. QEMU's parser is recursive descent that keeps only its first
 * error; this one walks the same grammar with an explicit stack (so no nesting limit can overflow the Java
 * stack) and stops at that same first error, so the texts and their precedence are QEMU's.
 */
public final class TokenParser {
    private final LiteralDecoder literals = new LiteralDecoder();
    private final ArrayList<Container> stack = new ArrayList<>();
    private TokenQueue queue;
    private int pos;
    private String error;

    /** The parse result: either {@code value} or {@code error} (the full QEMU text) is set. */
    public record Result(JsonValue value, String error) {
    }

    /** An object or array being filled. */
    private static final class Container {
        ArrayList<JsonValue> elements;
        LinkedHashMap<String, JsonValue> members;
        String key;
        boolean awaitingKey;
    }

    public Result parse(TokenQueue tokens) {
        queue = tokens;
        pos = 0;
        error = null;
        stack.clear();
        JsonValue v = run();
        queue = null;
        stack.clear();
        return v != null ? new Result(v, null) : new Result(null, error);
    }

    private JsonValue run() {
        while (true) {
            JsonValue v = startValue();
            if (error != null) {
                return null;
            }
            if (v == null) {
                continue; // a container was opened: parse its first element or key
            }
            // Hand the finished value to the enclosing containers, closing those that end here.
            while (true) {
                if (stack.isEmpty()) {
                    return v;
                }
                int outcome = attach(stack.getLast(), v);
                if (outcome == NEXT) {
                    break;
                }
                if (outcome == FAILED) {
                    return null;
                }
                v = close(stack.removeLast());
            }
        }
    }

    private static final int NEXT = 0;
    private static final int CLOSED = 1;
    private static final int FAILED = 2;

    /** parse_value(): a scalar, an empty container, or null after opening a non-empty container. */
    private JsonValue startValue() {
        if (pos == queue.count) {
            return fail("premature EOI");
        }
        int type = queue.types[pos];
        switch (type) {
            case LCURLY, LSQUARE -> {
                pos++;
                if (pos == queue.count) {
                    return fail("premature EOI");
                }
                boolean object = type == LCURLY;
                if (queue.types[pos] == (object ? RCURLY : RSQUARE)) {
                    pos++;
                    return object ? JsonObject.EMPTY : JsonArray.EMPTY;
                }
                stack.add(open(object));
                return null;
            }
            case STRING -> {
                return literal(literals.string(queue.text, queue.starts[pos], queue.ends[pos]));
            }
            case INTEGER, FLOAT -> {
                return literal(literals.number(queue.text, queue.starts[pos], queue.ends[pos], type == FLOAT));
            }
            case KEYWORD -> {
                return literal(keyword(queue.starts[pos], queue.ends[pos]));
            }
            default -> {
                return fail("expecting value"); // the token stays: QEMU's parse_value does not pop it
            }
        }
    }

    private JsonValue literal(Object decoded) {
        pos++;
        if (decoded instanceof String message) {
            return fail(message);
        }
        return (JsonValue) decoded;
    }

    private Container open(boolean object) {
        Container c = new Container();
        if (object) {
            c.members = new LinkedHashMap<>();
            c.awaitingKey = true;
        } else {
            c.elements = new ArrayList<>();
        }
        return c;
    }

    private static JsonValue close(Container c) {
        return c.members != null ? new JsonObject(c.members) : new JsonArray(c.elements);
    }

    /** Adds a finished value to a container and reads the separator after it (parse_array/parse_pair). */
    private int attach(Container c, JsonValue v) {
        if (c.elements != null) {
            c.elements.add(v);
            return separator(RSQUARE, "expected separator in list");
        }
        if (c.awaitingKey) {
            if (!(v instanceof JsonString key)) {
                fail("key is not a string in object");
                return FAILED;
            }
            if (pos == queue.count) {
                fail("premature EOI");
                return FAILED;
            }
            if (queue.types[pos++] != COLON) {
                fail("missing : in object pair");
                return FAILED;
            }
            c.key = key.value();
            c.awaitingKey = false;
            return NEXT;
        }
        if (c.members.putIfAbsent(c.key, v) != null) {
            fail("duplicate key");
            return FAILED;
        }
        c.awaitingKey = true;
        return separator(RCURLY, "expected separator in dict");
    }

    private int separator(int close, String message) {
        if (pos == queue.count) {
            fail("premature EOI");
            return FAILED;
        }
        int type = queue.types[pos++];
        if (type == close) {
            return CLOSED;
        }
        if (type != COMMA) {
            fail(message);
            return FAILED;
        }
        return NEXT;
    }

    /** parse_keyword(): the lexer accepted [a-z]+; only three are words. */
    private Object keyword(int start, int end) {
        byte[] t = queue.text;
        int n = end - start;
        if (n == 4 && t[start] == 't' && t[start + 1] == 'r' && t[start + 2] == 'u' && t[start + 3] == 'e') {
            return JsonBool.TRUE;
        }
        if (n == 4 && t[start] == 'n' && t[start + 1] == 'u' && t[start + 2] == 'l' && t[start + 3] == 'l') {
            return JsonNull.NULL;
        }
        if (n == 5 && new String(t, start, 5, java.nio.charset.StandardCharsets.ISO_8859_1).equals("false")) {
            return JsonBool.FALSE;
        }
        // parse_error() formats into char[1024]: the message is cut to 1023 bytes (observed on QEMU 7.2).
        String prefix = "invalid keyword '";
        int room = LiteralDecoder.MESSAGE_MAX - prefix.length();
        String word = new String(t, start, Math.min(n, room), java.nio.charset.StandardCharsets.ISO_8859_1);
        return LiteralDecoder.truncate(prefix + word + "'");
    }

    private JsonValue fail(String message) {
        if (error == null) {
            error = "JSON parse error, " + message;
        }
        return null;
    }
}
