package org.jqmp.qapi.gen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonNull;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;
import org.jqmp.qapi.model.AlternateType;
import org.jqmp.qapi.model.ArrayType;
import org.jqmp.qapi.model.BuiltinType;
import org.jqmp.qapi.model.Command;
import org.jqmp.qapi.model.Condition;
import org.jqmp.qapi.model.Definition;
import org.jqmp.qapi.model.EnumType;
import org.jqmp.qapi.model.EnumValue;
import org.jqmp.qapi.model.Event;
import org.jqmp.qapi.model.Feature;
import org.jqmp.qapi.model.JsonType;
import org.jqmp.qapi.model.Member;
import org.jqmp.qapi.model.ObjectType;
import org.jqmp.qapi.model.Schema;
import org.jqmp.qapi.model.SchemaType;
import org.jqmp.qapi.model.Variant;

/**
 * The {@code query-qmp-schema} value (a SchemaInfo list) as QEMU's {@code scripts/qapi/introspect.py} builds it
 * (reference §2.6): commands and events in schema order, then every type they use, in order of first use,
 * each type visited once; every integer type shown as {@code int}; names of types other than built-ins and
 * arrays masked as numbers in order of first use; arrays named {@code [element]}; optional members marked
 * {@code "default": null}. The walk ignores conditions, as QEMU's generator does (so masked numbers of
 * compiled-out types leave gaps); then entities, members, branches, values and features whose own condition
 * is false for the build ({@code defined} tells which configuration symbols are set) are dropped, as QEMU's
 * {@code #if}s drop them.
 */
public final class Introspection {
    private final Schema schema;
    private final Predicate<String> defined;
    private final boolean unmask;
    private final Map<String, String> masked = new HashMap<>();
    private final List<String> used = new ArrayList<>();
    private final Set<String> usedNames = new HashSet<>();
    private final List<JsonValue> trees = new ArrayList<>();

    private Introspection(Schema schema, Predicate<String> defined, boolean unmask) {
        this.schema = schema;
        this.defined = defined;
        this.unmask = unmask;
    }

    /** The SchemaInfo list for a build in which exactly the symbols {@code defined} accepts are set. */
    public static JsonArray build(Schema schema, Predicate<String> defined) {
        return new Introspection(schema, defined, false).run();
    }

    /** As {@link #build}, without masking (QEMU's {@code qapi-gen.py -u}). */
    public static JsonArray buildUnmasked(Schema schema, Predicate<String> defined) {
        return new Introspection(schema, defined, true).run();
    }

    private JsonArray run() {
        // scripts/qapi/schema.py visits module by module, in the order the modules were first included
        for (Definition d : schema.modules().stream().flatMap(m -> m.definitions().stream()).toList()) {
            switch (d) {
                case Command c -> command(c);
                case Event e -> event(e);
                default -> {
                }
            }
        }
        // the work list grows while it is walked: types used by types are visited too
        for (int i = 0; i < used.size(); i++) {
            type(schema.type(used.get(i)).orElseThrow());
        }
        return new JsonArray(trees);
    }

    private String name(String qapiName) {
        if (unmask) {
            return qapiName;
        }
        return masked.computeIfAbsent(qapiName, k -> Integer.toString(masked.size()));
    }

    /** introspect.py {@code _use_type}: records the type as used and returns the name to show for it. */
    private String use(SchemaType type) {
        SchemaType t = type;
        if (t.jsonType() == JsonType.INT) {
            t = schema.type("int").orElseThrow();
        } else if (t instanceof ArrayType a && a.elementType().type().jsonType() == JsonType.INT) {
            t = schema.type("intList").orElseThrow();
        }
        if (usedNames.add(t.name())) {
            used.add(t.name());
        }
        return switch (t) {
            case BuiltinType b -> b.name();
            case ArrayType a -> "[" + use(a.elementType().type()) + "]";
            default -> name(t.name());
        };
    }

    private SchemaType typeOrEmpty(java.util.Optional<org.jqmp.qapi.model.TypeRef> ref) {
        return ref.map(r -> r.type()).orElseGet(() -> schema.type(ObjectType.EMPTY).orElseThrow());
    }

    private void command(Command c) {
        JsonObject.Builder o = JsonObject.builder()
                .put("arg-type", use(typeOrEmpty(c.argType())))
                .put("ret-type", use(typeOrEmpty(c.returnType())));
        if (c.allowOob()) {
            o.put("allow-oob", true);
        }
        tree(c.name(), "command", o, c.condition(), c.features());
    }

    private void event(Event e) {
        tree(e.name(), "event", JsonObject.builder().put("arg-type", use(typeOrEmpty(e.argType()))),
                e.condition(), e.features());
    }

    private void type(SchemaType type) {
        switch (type) {
            case BuiltinType b -> tree(b.name(), "builtin",
                    JsonObject.builder().put("json-type", b.jsonType().wireName()), b.condition(), List.of());
            case EnumType e -> enumType(e);
            case ArrayType a -> {
                String element = use(a.elementType().type());
                tree("[" + element + "]", "array", JsonObject.builder().put("element-type", element),
                        a.condition(), List.of());
            }
            case ObjectType o -> objectType(o);
            case AlternateType a -> {
                List<JsonValue> members = new ArrayList<>();
                for (Variant v : a.alternatives()) {
                    String t = use(v.type().type());
                    if (holds(v.condition())) {
                        members.add(JsonObject.builder().put("type", t).build());
                    }
                }
                tree(a.name(), "alternate", JsonObject.builder().put("members", new JsonArray(members)),
                        a.condition(), a.features());
            }
        }
    }

    private void enumType(EnumType e) {
        List<JsonValue> members = new ArrayList<>();
        List<JsonValue> values = new ArrayList<>();
        for (EnumValue v : e.values()) {
            if (!holds(v.condition())) {
                continue;
            }
            JsonObject.Builder m = JsonObject.builder().put("name", v.name());
            features(m, v.features());
            members.add(m.build());
            values.add(new JsonString(v.name()));
        }
        tree(e.name(), "enum", JsonObject.builder().put("members", new JsonArray(members))
                .put("values", new JsonArray(values)), e.condition(), e.features());
    }

    private void objectType(ObjectType o) {
        List<JsonValue> members = new ArrayList<>();
        for (Member m : o.members()) {
            JsonObject.Builder mb = JsonObject.builder().put("name", m.name()).put("type", use(m.type().type()));
            if (m.optional()) {
                mb.put("default", JsonNull.NULL);
            }
            features(mb, m.features());
            if (holds(m.condition())) {
                members.add(mb.build());
            }
        }
        JsonObject.Builder obj = JsonObject.builder().put("members", new JsonArray(members));
        o.branches().ifPresent(b -> {
            obj.put("tag", b.discriminator().name());
            List<JsonValue> variants = new ArrayList<>();
            for (Variant v : b.variants()) {
                String t = use(v.type().type());
                if (holds(v.condition())) {
                    variants.add(JsonObject.builder().put("case", v.name()).put("type", t).build());
                }
            }
            obj.put("variants", new JsonArray(variants));
        });
        tree(o.name(), "object", obj, o.condition(), o.features());
    }

    private void features(JsonObject.Builder into, List<Feature> features) {
        List<JsonValue> names = features.stream().filter(f -> holds(f.condition()))
                .map(f -> (JsonValue) new JsonString(f.name())).toList();
        if (!names.isEmpty()) {
            into.put("features", new JsonArray(names));
        }
    }

    /** introspect.py {@code _gen_tree}: masks the name unless a command, event, built-in or array. */
    private void tree(String name, String metaType, JsonObject.Builder body, Condition condition,
                      List<Feature> features) {
        boolean keepsName = switch (metaType) {
            case "command", "event", "builtin", "array" -> true;
            default -> false;
        };
        JsonObject.Builder o = JsonObject.builder().put("name", keepsName ? name : name(name))
                .put("meta-type", metaType);
        body.build().members().forEach(o::put);
        features(o, features);
        if (holds(condition)) {
            trees.add(o.build());
        }
    }

    private boolean holds(Condition c) {
        return c.holds(defined);
    }
}
