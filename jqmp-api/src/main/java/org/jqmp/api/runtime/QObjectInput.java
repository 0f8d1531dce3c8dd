package org.jqmp.api.runtime;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonBool;
import org.jqmp.json.JsonInt;
import org.jqmp.json.JsonNull;
import org.jqmp.json.JsonNumber;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonUint;
import org.jqmp.json.JsonValue;

/**
 * Reads a JSON value into typed values the way QEMU's QObject input visitor does
 * ({@code qapi/qobject-input-visitor.c} with {@code qapi/qapi-visit-core.c}), for generated marshallers:
 * a stack of containers being visited, members taken by name in schema order, list elements in order, and
 * QEMU's exact error texts. Names in type and missing errors are full paths ({@code a.b}, {@code a[3]});
 * enum and integer-range errors use the member's own name, or {@code null} for a list element, as QEMU 7.2
 * does. Members nobody asked for are reported by {@link #checkStruct()}, which generated code calls last.
 * <p>
 * A {@code name} of null means "the next list element" inside a list, or the root value at the top.
 * <p>
 * A client reading replies from a newer QEMU uses {@link #lenient}: the spec lets a server add members and
 * enum values ({@code qmp-spec} "Compatibility Considerations"), so there an unknown member is not an error
 * and an unknown enum value reads as null (absent; dropped from a list). Each is noted in {@link #drift()}.
 */
public final class QObjectInput {
    private final JsonValue root;
    private final CompatPolicy policy;
    private final Deque<Frame> stack = new ArrayDeque<>();
    private final boolean lenient;
    private final boolean keyval;
    private final java.util.List<String> drift = new java.util.ArrayList<>();

    /** One container being visited: an object (with the keys not yet taken) or a list (with its cursor). */
    private static final class Frame {
        final String name;
        final JsonValue value;
        final Set<String> unvisited;
        final Iterator<JsonValue> elements;
        int index = -1;

        Frame(String name, JsonValue value) {
            this.name = name;
            this.value = value;
            this.unvisited = value instanceof JsonObject o ? new LinkedHashSet<>(o.members().keySet()) : null;
            this.elements = value instanceof JsonArray a ? a.elements().iterator() : null;
        }
    }

    public QObjectInput(JsonValue root, CompatPolicy policy) {
        this(root, policy, false, false);
    }

    private QObjectInput(JsonValue root, CompatPolicy policy, boolean lenient, boolean keyval) {
        this.root = root;
        this.policy = policy;
        this.lenient = lenient;
        this.keyval = keyval;
    }

    /**
     * An input for what a command line's dotted {@code key=value} syntax gave ({@code -blockdev}): every
     * scalar arrives as a string and is read as the schema's type, the way QEMU's keyval input visitor does
     * ({@code on}/{@code off} for booleans, numbers in C syntax), with its texts for what does not parse.
     */
    public static QObjectInput keyval(JsonValue root, CompatPolicy policy) {
        return new QObjectInput(root, policy, false, true);
    }

    /** An input for what a server sent: unknown members and enum values are noted, not errors. */
    public static QObjectInput lenient(JsonValue root) {
        return new QObjectInput(root, CompatPolicy.ACCEPT_ALL, true, false);
    }

    public boolean isLenient() {
        return lenient;
    }

    /**
     * What a lenient input met that the schema does not know, in reading order, e.g.
     * {@code unknown member 'status.new-thing'} or {@code unknown value 'colo2' of 'status'}.
     */
    public java.util.List<String> drift() {
        return java.util.List.copyOf(drift);
    }

    public CompatPolicy policy() {
        return policy;
    }

    // ---- containers

    /** visit_start_struct: the named member must be an object; it becomes the current container. */
    public void startStruct(String name) {
        JsonValue v = take(name);
        if (!(v instanceof JsonObject)) {
            throw invalidType(name, "object");
        }
        stack.push(new Frame(name, v));
    }

    /** visit_check_struct: the first member of the current object nobody asked for is unexpected. */
    public void checkStruct() {
        Frame top = stack.peek();
        if (lenient) {
            top.unvisited.forEach(key -> drift.add("unknown member '" + fullName(key) + "'"));
            top.unvisited.clear();
            return;
        }
        if (!top.unvisited.isEmpty()) {
            throw QmpException.generic("Parameter '" + fullName(top.unvisited.iterator().next()) + "' is unexpected");
        }
    }

    public void endStruct() {
        stack.pop();
    }

    /** visit_start_list: the named member must be an array; it becomes the current container. */
    public void startList(String name) {
        JsonValue v = take(name);
        if (!(v instanceof JsonArray)) {
            throw invalidType(name, "array");
        }
        stack.push(new Frame(name, v));
    }

    /** True while the current list has elements left (read each with a null name). */
    public boolean hasNextElement() {
        return stack.peek().elements.hasNext();
    }

    public void endList() {
        stack.pop();
    }

    /** Reads a whole list, each element with {@code element} (which reads with a null name). */
    public <T> java.util.List<T> readList(String name, java.util.function.Supplier<T> element) {
        startList(name);
        java.util.List<T> values = new java.util.ArrayList<>();
        while (hasNextElement()) {
            T value = element.get();
            if (value != null || !lenient) { // lenient: an unknown enum value leaves the list
                values.add(value);
            }
        }
        endList();
        return java.util.List.copyOf(values);
    }

    /** visit_optional: whether the current object has the member (a JSON null counts as present). */
    public boolean optional(String name) {
        return stack.peek().value instanceof JsonObject o && o.has(name);
    }

    /**
     * The value an alternate is about to read, without taking it (visit_start_alternate). Missing is an error.
     */
    public JsonValue peek(String name) {
        JsonValue v = lookup(name, false);
        if (v == null) {
            throw missing(name);
        }
        return v;
    }

    /** The error when an alternate has no branch for the value's JSON type (the raw name, as QEMU's). */
    public QmpException alternateMismatch(String name, String alternateName) {
        return QmpException.generic("Invalid parameter type for '" + (name == null ? "null" : name)
                + "', expected: " + alternateName);
    }

    // ---- compat policy

    /** visit_policy_reject for a member with these special features (deprecated wins, then unstable). */
    public QObjectInput policyReject(String name, Set<String> features) {
        checkInputPolicy("parameter", name, features);
        return this;
    }

    private void checkInputPolicy(String kind, String name, Set<String> features) {
        if (features.contains("deprecated")) {
            checkOne(policy.deprecatedInput(), "Deprecated", kind, name);
        }
        if (features.contains("unstable")) {
            checkOne(policy.unstableInput(), "Unstable", kind, name);
        }
    }

    private static void checkOne(CompatPolicy.Input input, String adjective, String kind, String name) {
        switch (input) {
            case ACCEPT -> {
            }
            case REJECT -> throw QmpException.generic(adjective + " " + kind + " " + name + " disabled by policy");
            case CRASH -> {
                // qapi-util.c compat_policy_input_ok: abort()
                System.err.println("jqmp: " + kind + " " + name + " rejected by -compat policy crash");
                Runtime.getRuntime().halt(134);
            }
        }
    }

    // ---- scalars

    public String readString(String name) {
        if (take(name) instanceof JsonString s) {
            return s.value();
        }
        throw invalidType(name, "string");
    }

    public boolean readBool(String name) {
        JsonValue v = take(name);
        if (v instanceof JsonBool b) {
            return b.value();
        }
        if (keyval && v instanceof JsonString s) {
            return switch (s.value()) {
                case "on", "yes", "true" -> true;
                case "off", "no", "false" -> false;
                default -> throw keyvalExpects(name, "'on' or 'off'");
            };
        }
        throw invalidType(name, "boolean");
    }

    /** number: any JSON number, as a double. */
    public double readNumber(String name) {
        JsonValue v = take(name);
        if (v instanceof JsonNumber n) {
            return n.doubleValue();
        }
        if (keyval && v instanceof JsonString s) {
            try {
                return Double.parseDouble(s.value());
            } catch (NumberFormatException e) {
                throw keyvalExpects(name, "number");
            }
        }
        throw invalidType(name, "number");
    }

    /** int and int64: an integer that fits int64. */
    public long readInt(String name) {
        JsonValue v = take(name);
        if (v instanceof JsonInt i) {
            return i.value();
        }
        if (keyval && v instanceof JsonString s) {
            return keyvalInteger(name, s.value(), false);
        }
        throw invalidType(name, "integer");
    }

    /** {@code qemu_strtoi64}/{@code qemu_strtou64} with base 0: decimal, {@code 0x} hex, leading-0 octal. */
    private long keyvalInteger(String name, String text, boolean unsigned) {
        try {
            String t = text.strip();
            boolean negative = t.startsWith("-");
            String digits = negative || t.startsWith("+") ? t.substring(1) : t;
            java.math.BigInteger value = digits.startsWith("0x") || digits.startsWith("0X")
                    ? new java.math.BigInteger(digits.substring(2), 16)
                    : digits.length() > 1 && digits.startsWith("0") ? new java.math.BigInteger(digits.substring(1), 8)
                    : new java.math.BigInteger(digits);
            value = negative ? value.negate() : value;
            if (unsigned ? value.bitLength() > 64 || value.signum() < 0 && value.bitLength() > 63
                    : value.bitLength() > 63) {
                throw new NumberFormatException("out of range");
            }
            return value.longValue();
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw keyvalExpects(name, "integer");
        }
    }

    private QmpException keyvalExpects(String name, String what) {
        return QmpException.generic("Parameter '" + fullName(name) + "' expects " + what);
    }

    /** int8, int16, int32: QEMU's visit_type_intN range check names the member as given, not its path. */
    public long readIntN(String name, long min, long max, String cType) {
        long v = readInt(name);
        if (v < min || v > max) {
            throw expects(name, cType);
        }
        return v;
    }

    /**
     * uint64 and size, as unsigned bits in a long. QEMU accepts negative integers "for backward
     * compatibility" (they wrap); anything else, including a non-number, "expects uint64".
     */
    public long readUint64(String name) {
        JsonValue v = take(name);
        return switch (v) {
            case JsonInt i -> i.value();
            case JsonUint u -> u.bits();
            case JsonString s when keyval -> keyvalInteger(name, s.value(), true);
            default -> throw QmpException.generic("Parameter '" + fullName(name) + "' expects uint64");
        };
    }

    /** uint8, uint16, uint32: a uint64 (negative ones wrapped) that fits, else "expects uint32_t" by raw name. */
    public long readUintN(String name, long max, String cType) {
        long v = readUint64(name);
        if (Long.compareUnsigned(v, max) > 0) {
            throw expects(name, cType);
        }
        return v;
    }

    public JsonValue readAny(String name) {
        JsonValue v = take(name);
        if (v == null) {
            throw missing(name);
        }
        return v;
    }

    public JsonNull readNull(String name) {
        if (take(name) instanceof JsonNull n) {
            return n;
        }
        throw invalidType(name, "null");
    }

    /**
     * An enum value: a string (type errors by full path), a known value (else "does not accept value" with
     * the raw name), then the input policy for the value's special features (kind "value").
     */
    public <E> E readEnum(String name, Function<String, E> lookup, Function<E, Set<String>> features) {
        String s = readString(name);
        E value = lookup.apply(s);
        if (value == null && lenient) {
            drift.add("unknown value '" + s + "' of '" + fullName(name) + "'");
            return null;
        }
        if (value == null) {
            throw QmpException.generic("Parameter '" + (name == null ? "null" : name)
                    + "' does not accept value '" + s + "'");
        }
        checkInputPolicy("value", s, features.apply(value));
        return value;
    }

    // ---- internals

    /** Takes (consumes) the named member of the current object, or the next element of the current list. */
    private JsonValue take(String name) {
        JsonValue v = lookup(name, true);
        if (v == null) {
            throw missing(name);
        }
        return v;
    }

    private JsonValue lookup(String name, boolean consume) {
        Frame top = stack.peek();
        if (top == null) {
            return root;
        }
        if (top.value instanceof JsonObject o) {
            JsonValue v = o.get(name);
            if (consume && v != null) {
                top.unvisited.remove(name);
            }
            return v;
        }
        if (!consume) {
            return ((JsonArray) top.value).size() > top.index + 1 ? ((JsonArray) top.value).get(top.index + 1) : null;
        }
        top.index++;
        return top.elements.hasNext() ? top.elements.next() : null;
    }

    private QmpException missing(String name) {
        return QmpException.generic("Parameter '" + fullName(name) + "' is missing");
    }

    private QmpException invalidType(String name, String expected) {
        return QmpException.generic("Invalid parameter type for '" + fullName(name) + "', expected: " + expected);
    }

    private static QmpException expects(String name, String cType) {
        return QmpException.generic("Parameter '" + (name == null ? "null" : name) + "' expects " + cType);
    }

    /** full_name_nth(qiv, name, 0): the member's path from the root, {@code a.b[2].c}. */
    private String fullName(String name) {
        StringBuilder path = new StringBuilder();
        String current = name;
        for (Frame frame : stack) { // innermost first
            if (frame.value instanceof JsonObject) {
                path.insert(0, current == null ? "<anonymous>" : current).insert(0, '.');
            } else {
                path.insert(0, "[" + frame.index + "]");
            }
            current = frame.name;
        }
        if (current != null) {
            path.insert(0, current);
        } else if (!path.isEmpty() && path.charAt(0) == '.') {
            path.deleteCharAt(0);
        } else if (path.isEmpty()) {
            return "<anonymous>";
        }
        return path.toString();
    }
}
