package org.jqmp.cli.shell;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;

/**
 * What the shell completes: command names from {@code query-commands}, argument names from
 * {@code query-qmp-schema} (qapi/introspect.json's SchemaInfo: a command's {@code arg-type} names an object
 * whose {@code members}, and the members of its {@code variants}' types, are the keys; a member whose type is
 * an object completes on to its own members after a dot, as qmp-shell's dotted keys nest).
 */
public final class CommandCatalog {
    /** The catalog of a server that answered neither query: completes nothing. */
    public static final CommandCatalog EMPTY = new CommandCatalog(List.of(), Map.of(), Map.of());

    private final List<String> commands;
    private final Map<String, String> argTypes; // command -> its arg-type's (masked) name
    private final Map<String, JsonObject> types; // schema entity name -> SchemaInfo

    private CommandCatalog(List<String> commands, Map<String, String> argTypes, Map<String, JsonObject> types) {
        this.commands = commands;
        this.argTypes = argTypes;
        this.types = types;
    }

    /** From the return values of query-commands and query-qmp-schema (either may be null: not available). */
    public static CommandCatalog of(JsonValue queryCommands, JsonValue schema) {
        TreeSet<String> names = new TreeSet<>();
        if (queryCommands instanceof JsonArray list) {
            for (JsonValue info : list.elements()) {
                if (info instanceof JsonObject o && o.get("name") instanceof JsonString name) {
                    names.add(name.value());
                }
            }
        }
        Map<String, String> argTypes = new HashMap<>();
        Map<String, JsonObject> types = new HashMap<>();
        if (schema instanceof JsonArray entities) {
            for (JsonValue entity : entities.elements()) {
                if (entity instanceof JsonObject o && o.get("name") instanceof JsonString name) {
                    types.put(name.value(), o);
                    if (o.get("meta-type") instanceof JsonString meta && meta.value().equals("command")
                            && o.get("arg-type") instanceof JsonString arg) {
                        argTypes.put(name.value(), arg.value());
                    }
                }
            }
        }
        return new CommandCatalog(List.copyOf(names), Map.copyOf(argTypes), Map.copyOf(types));
    }

    public List<String> commands() {
        return commands;
    }

    /**
     * The completions of {@code word} as an argument of {@code command}: {@code key=} for each member whose
     * name starts with the word's last dotted part, and {@code key.} as well for an object member.
     */
    public List<String> arguments(String command, String word) {
        if (word.contains("=")) {
            return List.of();
        }
        int dot = word.lastIndexOf('.');
        String prefix = word.substring(0, dot + 1);
        JsonObject type = lookup(argTypes.get(command));
        for (String part : prefix.isEmpty() ? new String[0] : prefix.substring(0, dot).split("\\.")) {
            type = type == null ? null : lookup(memberTypes(type).get(part));
        }
        if (type == null) {
            return List.of();
        }
        String start = word.substring(dot + 1);
        List<String> out = new ArrayList<>();
        memberTypes(type).forEach((name, memberType) -> {
            if (name.startsWith(start)) {
                out.add(prefix + name + "=");
                if (isObject(memberType)) {
                    out.add(prefix + name + ".");
                }
            }
        });
        out.sort(null);
        return out;
    }

    private JsonObject lookup(String typeName) {
        return typeName == null ? null : types.get(typeName);
    }

    private boolean isObject(String typeName) {
        JsonObject type = types.get(typeName);
        return type != null && type.get("meta-type") instanceof JsonString meta && meta.value().equals("object");
    }

    /** An object type's members, name to type, with the members of every variant. */
    private Map<String, String> memberTypes(JsonObject type) {
        Map<String, String> out = new HashMap<>();
        if (type.get("members") instanceof JsonArray members) {
            for (JsonValue m : members.elements()) {
                if (m instanceof JsonObject o && o.get("name") instanceof JsonString n
                        && o.get("type") instanceof JsonString t) {
                    out.putIfAbsent(n.value(), t.value());
                }
            }
        }
        if (type.get("variants") instanceof JsonArray variants) {
            for (JsonValue v : variants.elements()) {
                if (v instanceof JsonObject o && o.get("type") instanceof JsonString t
                        && types.get(t.value()) instanceof JsonObject variant && variant != type) {
                    memberTypes(variant).forEach(out::putIfAbsent);
                }
            }
        }
        return out;
    }
}
