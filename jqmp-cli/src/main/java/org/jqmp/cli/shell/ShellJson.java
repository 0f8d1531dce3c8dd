package org.jqmp.cli.shell;

import java.math.BigDecimal;
import java.util.ArrayList;
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
 * The text qmp-shell prints: QEMU 7.2's qmp_shell writes every message with Python's
 * {@code json.dumps(msg, indent=4 if pretty else None, sort_keys=pretty)} and the default
 * {@code ensure_ascii=True}. So the shell has its own layout, apart from the monitor's wire format (QEMU's
 * -qmp-pretty layout in jqmp-json, which escapes '/' and writes empty containers over two lines):
 * <ul>
 * <li>compact: {@code ", "} and {@code ": "} separators, members in the order received;</li>
 * <li>pretty: four spaces per level, {@code ","} at line ends, members sorted by key, {@code {}} and
 * {@code []} for empty containers;</li>
 * <li>strings: {@code \" \\ \n \r \t \b \f} short, every other character outside printable ASCII
 * (space to '~') as {@code \}{@code u} and four lowercase hex digits, one per UTF-16 unit;</li>
 * <li>floats as Python's repr: the shortest round-trip digits, fixed notation from 1e-4 to below 1e16
 * (with {@code .0} when whole), else {@code 1.5e+16} / {@code 1e-05}.</li>
 * </ul>
 */
final class ShellJson {
    private static final String INDENT = "    ";

    private ShellJson() {}

    static String compact(JsonValue value) {
        StringBuilder out = new StringBuilder();
        write(value, -1, out);
        return out.toString();
    }

    static String pretty(JsonValue value) {
        StringBuilder out = new StringBuilder();
        write(value, 0, out);
        return out.toString();
    }

    /** level -1 is the compact layout; 0 and up the pretty one at that depth. */
    private static void write(JsonValue value, int level, StringBuilder out) {
        switch (value) {
            case JsonObject o -> object(o, level, out);
            case JsonArray a -> array(a, level, out);
            case JsonString s -> string(s.value(), out);
            case JsonInt i -> out.append(i.value());
            case JsonUint u -> out.append(Long.toUnsignedString(u.bits()));
            case JsonDouble d -> out.append(pythonRepr(d.value()));
            case JsonBool b -> out.append(b.value());
            case JsonNull n -> out.append("null");
        }
    }

    private static void object(JsonObject o, int level, StringBuilder out) {
        if (o.size() == 0) {
            out.append("{}");
            return;
        }
        List<Map.Entry<String, JsonValue>> members = new ArrayList<>(o.members().entrySet());
        if (level >= 0) {
            members.sort((x, y) -> byCodePoint(x.getKey(), y.getKey())); // sort_keys=pretty
        }
        out.append('{');
        for (int i = 0; i < members.size(); i++) {
            separate(i, level, out);
            string(members.get(i).getKey(), out);
            out.append(": ");
            write(members.get(i).getValue(), level < 0 ? level : level + 1, out);
        }
        close('}', level, out);
    }

    private static void array(JsonArray a, int level, StringBuilder out) {
        if (a.size() == 0) {
            out.append("[]");
            return;
        }
        out.append('[');
        for (int i = 0; i < a.size(); i++) {
            separate(i, level, out);
            write(a.get(i), level < 0 ? level : level + 1, out);
        }
        close(']', level, out);
    }

    private static void separate(int index, int level, StringBuilder out) {
        if (level < 0) {
            out.append(index == 0 ? "" : ", ");
        } else {
            out.append(index == 0 ? "\n" : ",\n").append(INDENT.repeat(level + 1));
        }
    }

    private static void close(char bracket, int level, StringBuilder out) {
        if (level >= 0) {
            out.append('\n').append(INDENT.repeat(level));
        }
        out.append(bracket);
    }

    /** Python compares str keys by code point; String.compareTo by UTF-16 unit differs above U+FFFF. */
    private static int byCodePoint(String a, String b) {
        return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c >= ' ' && c <= '~') {
                        out.append(c);
                    } else {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        out.append('"');
    }

    /** Python's float repr (repr style 'r' with a '.0' added to whole numbers). */
    static String pythonRepr(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        // Double.toString gives the shortest digits that round-trip (JDK 19+), as Python's repr does
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int decpt = digits.length() - exact.scale(); // value = 0.DIGITS x 10^decpt
        String sign = d < 0 ? "-" : "";
        if (decpt > -4 && decpt <= 16) {
            return sign + fixed(digits, decpt);
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        int exponent = decpt - 1;
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }

    private static String fixed(String digits, int decpt) {
        if (decpt <= 0) {
            return "0." + "0".repeat(-decpt) + digits;
        }
        if (decpt >= digits.length()) {
            return digits + "0".repeat(decpt - digits.length()) + ".0";
        }
        return digits.substring(0, decpt) + "." + digits.substring(decpt);
    }
}
