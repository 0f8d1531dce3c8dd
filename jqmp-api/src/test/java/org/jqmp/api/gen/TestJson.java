package org.jqmp.api.gen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonBool;
import org.jqmp.json.JsonDouble;
import org.jqmp.json.JsonInt;
import org.jqmp.json.JsonNull;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonUint;
import org.jqmp.json.JsonValue;

/**
 * A small strict JSON reader for test inputs, classifying numbers as QEMU does (int64, else uint64, else
 * double). Single quotes are accepted as string quotes to keep Java text readable.
 */
final class TestJson {
    private final String s;
    private int i;

    private TestJson(String s) {
        this.s = s;
    }

    static JsonValue parse(String text) {
        TestJson p = new TestJson(text);
        JsonValue v = p.value();
        p.ws();
        if (p.i != text.length()) {
            throw new IllegalArgumentException("trailing input at " + p.i + " in " + text);
        }
        return v;
    }

    static JsonObject object(String text) {
        return (JsonObject) parse(text);
    }

    private void ws() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private JsonValue value() {
        ws();
        char c = s.charAt(i);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"', '\'' -> new JsonString(string());
            case 't' -> keyword("true", JsonBool.TRUE);
            case 'f' -> keyword("false", JsonBool.FALSE);
            case 'n' -> keyword("null", JsonNull.NULL);
            default -> number();
        };
    }

    private JsonValue keyword(String word, JsonValue v) {
        if (!s.startsWith(word, i)) {
            throw new IllegalArgumentException("bad keyword at " + i);
        }
        i += word.length();
        return v;
    }

    private JsonValue number() {
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        String t = s.substring(start, i);
        if (t.matches("-?[0-9]+")) {
            java.math.BigInteger n = new java.math.BigInteger(t);
            if (n.bitLength() < 64) {
                return new JsonInt(n.longValue());
            }
            if (n.signum() > 0 && n.bitLength() == 64) {
                return new JsonUint(n.longValue());
            }
        }
        return new JsonDouble(Double.parseDouble(t));
    }

    private JsonObject object() {
        i++;
        Map<String, JsonValue> m = new LinkedHashMap<>();
        ws();
        if (s.charAt(i) == '}') {
            i++;
            return new JsonObject(m);
        }
        while (true) {
            ws();
            String key = string();
            ws();
            i++; // ':'
            m.put(key, value());
            ws();
            if (s.charAt(i++) == '}') {
                return new JsonObject(m);
            }
        }
    }

    private JsonArray array() {
        i++;
        List<JsonValue> l = new ArrayList<>();
        ws();
        if (s.charAt(i) == ']') {
            i++;
            return new JsonArray(l);
        }
        while (true) {
            l.add(value());
            ws();
            if (s.charAt(i++) == ']') {
                return new JsonArray(l);
            }
        }
    }

    private String string() {
        char quote = s.charAt(i++);
        StringBuilder sb = new StringBuilder();
        while (s.charAt(i) != quote) {
            char c = s.charAt(i++);
            if (c == '\\') {
                char e = s.charAt(i++);
                sb.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> e;
                });
            } else {
                sb.append(c);
            }
        }
        i++;
        return sb.toString();
    }
}
