package org.jqmp.api.runtime;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonBool;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;

/**
 * Reads a command's arguments member by member, in schema order, with the texts of QEMU's QObject input
 * visitor ({@code qapi/qobject-input-visitor.c}); {@link #end()} then reports any member nobody asked for,
 * as {@code visit_check_struct} does last. Hand-written marshallers use it until the QAPI compiler
 * generates them.
 */
public final class ArgumentReader {
    private final JsonObject arguments;
    private final Set<String> visited = new HashSet<>();

    public ArgumentReader(JsonObject arguments) {
        this.arguments = arguments;
    }

    public String requiredString(String name) {
        String s = optionalString(name);
        if (s == null) {
            throw missing(name);
        }
        return s;
    }

    public String optionalString(String name) {
        JsonValue v = take(name);
        if (v == null) {
            return null;
        }
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw invalidType(name, "string");
    }

    public Boolean optionalBool(String name) {
        JsonValue v = take(name);
        if (v == null) {
            return null;
        }
        if (v instanceof JsonBool b) {
            return b.value();
        }
        throw invalidType(name, "boolean");
    }

    /**
     * An optional list of enum values. QEMU 7.2 names a list element {@code 'null'} in the enum error
     * (observed: {@code Parameter 'null' does not accept value 'no-such-cap'}), but {@code name[i]} in a type error.
     */
    public List<String> optionalEnumList(String name, Set<String> allowed) {
        JsonValue v = take(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof JsonArray array)) {
            throw invalidType(name, "array");
        }
        List<String> values = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof JsonString s)) {
                throw invalidType(name + "[" + i + "]", "string");
            }
            if (!allowed.contains(s.value())) {
                throw QmpException.generic("Parameter 'null' does not accept value '" + s.value() + "'");
            }
            values.add(s.value());
        }
        return values;
    }

    /** Reports the first member that no read asked for. */
    public void end() {
        for (String key : arguments.members().keySet()) {
            if (!visited.contains(key)) {
                throw QmpException.generic("Parameter '" + key + "' is unexpected");
            }
        }
    }

    private JsonValue take(String name) {
        visited.add(name);
        return arguments.get(name);
    }

    private static QmpException missing(String name) {
        return QmpException.generic("Parameter '" + name + "' is missing");
    }

    private static QmpException invalidType(String name, String expected) {
        return QmpException.generic("Invalid parameter type for '" + name + "', expected: " + expected);
    }
}
