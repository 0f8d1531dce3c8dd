package org.jqmp.api.gen;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonBool;
import org.jqmp.json.JsonDouble;
import org.jqmp.json.JsonInt;
import org.jqmp.json.JsonNull;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonUint;
import org.jqmp.json.JsonValue;
import org.jqmp.qapi.model.AlternateType;
import org.jqmp.qapi.model.ArrayType;
import org.jqmp.qapi.model.BuiltinType;
import org.jqmp.qapi.model.EnumType;
import org.jqmp.qapi.model.JsonType;
import org.jqmp.qapi.model.Member;
import org.jqmp.qapi.model.ObjectType;
import org.jqmp.qapi.model.SchemaType;
import org.jqmp.qapi.model.TypeRef;
import org.jqmp.qapi.model.Variant;

/**
 * One change that makes a valid argument object invalid, at any depth, and the error QEMU's input visitor
 * gives for it. The valid object is walked together with its schema type to find every place a change is
 * certain to be an error: a mandatory member removed, a member no one declared added, a value of a JSON kind
 * its type rejects, an integer outside its type's range, an enum value that does not exist. ({@code any}
 * values and what they contain are left alone: everything is valid there.)
 *
 * @param kind     what was changed
 * @param path     where, as QEMU names it in messages ({@code a.b[2].c}; empty for the root object)
 * @param invalid  the changed argument object
 * @param expected the exact error text, or empty where only its form is known (a value no alternative takes)
 */
record ArgumentMutation(Kind kind, String path, JsonObject invalid, Optional<String> expected) {
    static final String EXTRA = "x-no-such-member";
    static final String BAD_VALUE = "x-no-such-value";
    /** Every argument error QEMU's QObject input visitor gives. */
    static final String ERROR_FORM = "Parameter '[^']*' is missing|Parameter '[^']*' is unexpected"
            + "|Invalid parameter type for '[^']*', expected: \\S+|Parameter '[^']*' expects \\S+"
            + "|Parameter '[^']*' does not accept value '[^']*'";

    enum Kind { MISSING, UNEXPECTED, WRONG_TYPE, OUT_OF_RANGE, BAD_ENUM }

    /**
     * A place in the valid object: path segments are member names (String) and list indexes (Integer).
     * {@code declared} is false for the branch an alternate chose: a kind change there is the alternate's.
     */
    private record Site(List<Object> segments, SchemaType type, JsonValue value, List<Member> members,
                        boolean declared) {
        String path() {
            StringBuilder sb = new StringBuilder();
            for (Object s : segments) {
                if (s instanceof Integer i) {
                    sb.append('[').append(i).append(']');
                } else {
                    sb.append(sb.isEmpty() ? "" : ".").append(s);
                }
            }
            return sb.toString();
        }

        String child(String member) {
            return path().isEmpty() ? member : path() + "." + member;
        }

        /** The name QEMU's range and enum errors use: the member's own, or "null" for a list element. */
        String rawName() {
            return segments.getLast() instanceof String s ? s : "null";
        }
    }

    /** A random invalid variant of {@code valid}, an argument object of type {@code argType}. */
    static ArgumentMutation of(JsonObject valid, ObjectType argType, Random random) {
        List<Site> sites = new ArrayList<>();
        walk(List.of(), argType, valid, true, sites);
        List<ArgumentMutation> choices = new ArrayList<>();
        for (Site site : sites) {
            choices.addAll(mutations(valid, site));
        }
        // a kind first, then a place: otherwise the many places an extra member fits crowd out the rest
        List<Kind> kinds = choices.stream().map(ArgumentMutation::kind).distinct().toList();
        Kind kind = kinds.get(random.nextInt(kinds.size()));
        List<ArgumentMutation> ofKind = choices.stream().filter(m -> m.kind() == kind).toList();
        return ofKind.get(random.nextInt(ofKind.size()));
    }

    private static void walk(List<Object> segments, SchemaType type, JsonValue value, boolean declared,
                             List<Site> out) {
        switch (type) {
            case ObjectType o -> {
                List<Member> members = effectiveMembers(o, (JsonObject) value);
                out.add(new Site(segments, type, value, members, declared));
                for (Member m : members) {
                    JsonValue v = ((JsonObject) value).get(m.name());
                    if (v != null) {
                        walk(append(segments, m.name()), m.type().type(), v, true, out);
                    }
                }
            }
            case ArrayType a -> {
                out.add(new Site(segments, type, value, List.of(), declared));
                List<JsonValue> elements = ((JsonArray) value).elements();
                for (int i = 0; i < elements.size(); i++) {
                    walk(append(segments, i), a.elementType().type(), elements.get(i), true, out);
                }
            }
            case AlternateType a -> {
                out.add(new Site(segments, type, value, List.of(), declared));
                SchemaType chosen = a.alternatives().stream().map(v -> v.type().type())
                        .filter(t -> accepts(t, value)).findFirst().orElseThrow();
                walk(segments, chosen, value, false, out);
            }
            case BuiltinType b when b.name().equals("any") -> {
            }
            default -> out.add(new Site(segments, type, value, List.of(), declared));
        }
    }

    private static List<Object> append(List<Object> segments, Object segment) {
        List<Object> l = new ArrayList<>(segments);
        l.add(segment);
        return List.copyOf(l);
    }

    /** The members on the wire: the common ones, then those of the branch the discriminator selects. */
    static List<Member> effectiveMembers(ObjectType type, JsonObject value) {
        List<Member> members = new ArrayList<>(type.members());
        type.branches().ifPresent(b -> {
            String tag = ((JsonString) value.get(b.discriminator().name())).value();
            Variant v = b.variants().stream().filter(x -> x.name().equals(tag)).findFirst().orElseThrow();
            members.addAll(effectiveMembers((ObjectType) v.type().type(), value));
        });
        return members;
    }

    private static List<ArgumentMutation> mutations(JsonObject root, Site site) {
        List<ArgumentMutation> out = new ArrayList<>();
        String path = site.path();
        if (site.type() instanceof ObjectType && site.value() instanceof JsonObject) {
            String extra = site.child(EXTRA);
            out.add(new ArgumentMutation(Kind.UNEXPECTED, path, edit(root, site.segments(),
                    v -> with((JsonObject) v, EXTRA, new JsonInt(1))), Optional.of("Parameter '" + extra
                    + "' is unexpected")));
            for (Member m : site.members()) {
                if (!m.optional()) {
                    out.add(new ArgumentMutation(Kind.MISSING, path, edit(root, site.segments(),
                            v -> without((JsonObject) v, m.name())), Optional.of("Parameter '" + site.child(m.name())
                            + "' is missing")));
                }
            }
        }
        if (site.segments().isEmpty()) {
            return out; // the arguments themselves are always an object
        }
        for (JsonValue wrong : site.declared() ? wrongKinds(site.type()) : List.<JsonValue>of()) {
            out.add(new ArgumentMutation(Kind.WRONG_TYPE, path, edit(root, site.segments(), v -> wrong),
                    typeError(site)));
        }
        out.addAll(outOfRange(root, site));
        if (site.type() instanceof EnumType) {
            out.add(new ArgumentMutation(Kind.BAD_ENUM, path, edit(root, site.segments(),
                    v -> new JsonString(BAD_VALUE)), Optional.of("Parameter '" + site.rawName()
                    + "' does not accept value '" + BAD_VALUE + "'")));
        }
        return out;
    }

    private static List<ArgumentMutation> outOfRange(JsonObject root, Site site) {
        if (!(site.type() instanceof BuiltinType b) || b.jsonType() != JsonType.INT) {
            return List.of();
        }
        String expects = "Parameter '" + site.rawName() + "' expects ";
        List<Map.Entry<JsonValue, String>> bounds = switch (b.name()) {
            case "int8" -> List.of(bound(new JsonInt(128), expects + "int8_t"),
                    bound(new JsonInt(-129), expects + "int8_t"));
            case "int16" -> List.of(bound(new JsonInt(32768), expects + "int16_t"),
                    bound(new JsonInt(-32769), expects + "int16_t"));
            case "int32" -> List.of(bound(new JsonInt(1L << 31), expects + "int32_t"),
                    bound(new JsonInt(-(1L << 31) - 1), expects + "int32_t"));
            case "uint8" -> List.of(bound(new JsonInt(256), expects + "uint8_t"),
                    bound(new JsonInt(-1), expects + "uint8_t")); // negative wraps to 2^64 - 1
            case "uint16" -> List.of(bound(new JsonInt(65536), expects + "uint16_t"));
            case "uint32" -> List.of(bound(new JsonInt(1L << 32), expects + "uint32_t"));
            // 2^63 arrives as a uint64 number, which int64 does not take
            case "int", "int64" -> List.of(bound(new JsonUint(Long.MIN_VALUE),
                    "Invalid parameter type for '" + site.path() + "', expected: integer"));
            // uint64, size: 2^64 is only a double
            default -> List.of(bound(new JsonDouble(18446744073709551616.0),
                    "Parameter '" + site.path() + "' expects uint64"));
        };
        return bounds.stream().map(bound -> new ArgumentMutation(Kind.OUT_OF_RANGE, site.path(),
                edit(root, site.segments(), v -> bound.getKey()), Optional.of(bound.getValue()))).toList();
    }

    private static Map.Entry<JsonValue, String> bound(JsonValue value, String error) {
        return Map.entry(value, error);
    }

    /** JSON values of the kinds {@code type} rejects (none for {@code any}). */
    private static List<JsonValue> wrongKinds(SchemaType type) {
        Set<JsonType> accepted = EnumSet.noneOf(JsonType.class);
        acceptedKinds(type, accepted);
        List<JsonValue> wrong = new ArrayList<>();
        if (!accepted.contains(JsonType.STRING)) {
            wrong.add(new JsonString("x"));
        }
        if (!accepted.contains(JsonType.INT) && !accepted.contains(JsonType.NUMBER)) {
            wrong.add(new JsonInt(7));
        }
        if (!accepted.contains(JsonType.NUMBER) && !(type instanceof AlternateType)) {
            wrong.add(new JsonDouble(1.5)); // an alternate's integer branch takes it and then fails: not here
        }
        if (!accepted.contains(JsonType.BOOLEAN)) {
            wrong.add(JsonBool.TRUE);
        }
        if (!accepted.contains(JsonType.NULL)) {
            wrong.add(JsonNull.NULL);
        }
        if (!accepted.contains(JsonType.OBJECT)) {
            wrong.add(JsonObject.EMPTY);
        }
        if (!accepted.contains(JsonType.ARRAY)) {
            wrong.add(JsonArray.EMPTY);
        }
        return accepted.contains(JsonType.VALUE) ? List.of() : wrong;
    }

    private static void acceptedKinds(SchemaType type, Set<JsonType> out) {
        switch (type) {
            case AlternateType a -> a.alternatives().forEach(v -> acceptedKinds(v.type().type(), out));
            default -> out.add(type.jsonType());
        }
    }

    /** QEMU's text for a value of the wrong kind, where the type alone decides it. */
    private static Optional<String> typeError(Site site) {
        String path = site.path();
        return switch (site.type()) {
            case AlternateType a -> Optional.empty();
            case BuiltinType b when b.name().startsWith("uint") || b.name().equals("size") ->
                    Optional.of("Parameter '" + path + "' expects uint64");
            case BuiltinType b when b.jsonType() == JsonType.INT ->
                    Optional.of("Invalid parameter type for '" + path + "', expected: integer");
            case BuiltinType b -> Optional.of("Invalid parameter type for '" + path + "', expected: "
                    + switch (b.jsonType()) {
                        case STRING -> "string";
                        case NUMBER -> "number";
                        case BOOLEAN -> "boolean";
                        default -> "null";
                    });
            case EnumType e -> Optional.of("Invalid parameter type for '" + path + "', expected: string");
            case ObjectType o -> Optional.of("Invalid parameter type for '" + path + "', expected: object");
            case ArrayType a -> Optional.of("Invalid parameter type for '" + path + "', expected: array");
        };
    }

    /** Whether {@code value}'s JSON kind selects this alternative (as the generated alternate reader does). */
    private static boolean accepts(SchemaType type, JsonValue value) {
        return switch (type.jsonType()) {
            case STRING -> value instanceof JsonString;
            case INT, NUMBER -> value instanceof org.jqmp.json.JsonNumber;
            case BOOLEAN -> value instanceof JsonBool;
            case NULL -> value instanceof JsonNull;
            case OBJECT -> value instanceof JsonObject;
            case ARRAY -> value instanceof JsonArray;
            case VALUE -> true;
        };
    }

    // ---- editing immutable JSON

    private static JsonObject edit(JsonObject root, List<Object> segments, UnaryOperator<JsonValue> change) {
        return (JsonObject) edit(root, segments, 0, change);
    }

    private static JsonValue edit(JsonValue node, List<Object> segments, int i, UnaryOperator<JsonValue> change) {
        if (i == segments.size()) {
            return change.apply(node);
        }
        if (segments.get(i) instanceof Integer index) {
            List<JsonValue> elements = new ArrayList<>(((JsonArray) node).elements());
            elements.set(index, edit(elements.get(index), segments, i + 1, change));
            return new JsonArray(elements);
        }
        String key = (String) segments.get(i);
        JsonObject o = (JsonObject) node;
        return with(o, key, edit(o.get(key), segments, i + 1, change));
    }

    private static JsonObject with(JsonObject o, String key, JsonValue value) {
        Map<String, JsonValue> m = new LinkedHashMap<>(o.members());
        m.put(key, value);
        return new JsonObject(m);
    }

    private static JsonObject without(JsonObject o, String key) {
        Map<String, JsonValue> m = new LinkedHashMap<>(o.members());
        m.remove(key);
        return new JsonObject(m);
    }
}
