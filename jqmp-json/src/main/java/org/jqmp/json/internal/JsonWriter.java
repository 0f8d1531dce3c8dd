package org.jqmp.json.internal;

import java.util.List;
import java.util.Map;
import org.jqmp.json.ByteSink;
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
 * QEMU 7.2's {@code qobject/json-writer.c} driven by {@code qobject_to_json}: the same separators, the same
 * pretty layout (a newline plus four spaces per level before every member and before every closing
 * bracket, so an empty container prints as an opening bracket, a newline, and the closing bracket), the
 * same string escapes, the same number formats, members in QDict order.
 */
public final class JsonWriter {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final ByteSink out;
    private final boolean pretty;
    private final int startLength;
    private int depth;
    private boolean needComma;

    public JsonWriter(ByteSink out, boolean pretty) {
        this.out = out;
        this.pretty = pretty;
        this.startLength = out.length();
    }

    public void value(String name, JsonValue v) {
        switch (v) {
            case JsonObject o -> object(name, o);
            case JsonArray a -> array(name, a.elements());
            case JsonString s -> {
                separator(name);
                string(s.value());
            }
            case JsonInt i -> scalar(name, Long.toString(i.value()));
            case JsonUint u -> scalar(name, Long.toUnsignedString(u.bits()));
            case JsonDouble d -> scalar(name, PrintfG.format(d.value()));
            case JsonBool b -> scalar(name, b.value() ? "true" : "false");
            case JsonNull n -> scalar(name, "null");
        }
    }

    private void scalar(String name, String text) {
        separator(name);
        out.writeAscii(text);
    }

    private void object(String name, JsonObject o) {
        separator(name);
        out.write('{');
        enter();
        for (Map.Entry<String, JsonValue> e : QDictOrder.members(o)) {
            value(e.getKey(), e.getValue());
        }
        leave();
        out.write('}');
    }

    private void array(String name, List<JsonValue> elements) {
        separator(name);
        out.write('[');
        enter();
        for (JsonValue e : elements) {
            value(null, e);
        }
        leave();
        out.write(']');
    }

    private void enter() {
        depth++;
        needComma = false;
    }

    private void leave() {
        depth--;
        needComma = true;
        newline();
    }

    /** maybe_comma_name(): the comma, the newline or space, and "name": inside an object. */
    private void separator(String name) {
        if (needComma) {
            out.write(',');
            if (pretty) {
                newline();
            } else {
                out.write(' ');
            }
        } else {
            if (out.length() > startLength) {
                newline();
            }
            needComma = true;
        }
        if (name != null) {
            string(name);
            out.write(':');
            out.write(' ');
        }
    }

    private void newline() {
        if (pretty) {
            out.write('\n');
            for (int i = 0; i < depth * 4; i++) {
                out.write(' ');
            }
        }
    }

    /** quoted_str(): ASCII only; code points QEMU cannot hold (lone surrogates, noncharacters) become U+FFFD. */
    private void string(String s) {
        out.write('"');
        int n = s.length();
        int run = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                continue;
            }
            out.writeAscii(s, run, i);
            i = special(s, i, c);
            run = i + 1;
        }
        out.writeAscii(s, run, n);
        out.write('"');
    }

    /** Writes the escape for the char at i; returns the index of the last char it used. */
    private int special(String s, int i, char c) {
        switch (c) {
            case '"' -> escape('"');
            case '\\' -> escape('\\');
            case '\b' -> escape('b');
            case '\f' -> escape('f');
            case '\n' -> escape('n');
            case '\r' -> escape('r');
            case '\t' -> escape('t');
            default -> {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(i + 1));
                    if (ModifiedUtf8.isValidCodePoint(cp)) {
                        unicode(c);
                        unicode(s.charAt(i + 1));
                    } else {
                        unicode(0xFFFD);
                    }
                    return i + 1;
                }
                unicode(ModifiedUtf8.isValidCodePoint(c) ? c : 0xFFFD);
            }
        }
        return i;
    }

    private void escape(char c) {
        out.write('\\');
        out.write(c);
    }

    private void unicode(int u) {
        out.write('\\');
        out.write('u');
        out.write(HEX[u >> 12 & 0xF]);
        out.write(HEX[u >> 8 & 0xF]);
        out.write(HEX[u >> 4 & 0xF]);
        out.write(HEX[u & 0xF]);
    }
}
