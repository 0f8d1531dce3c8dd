package org.jqmp.api.gen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
import org.jqmp.qapi.model.Member;
import org.jqmp.qapi.model.ObjectType;
import org.jqmp.qapi.model.SchemaType;
import org.jqmp.qapi.model.Variant;

/**
 * Random JSON that is valid for a schema type, in the canonical form the generated writers give back (uint64
 * above int64's range as {@link JsonUint}, {@code number} always a {@link JsonDouble}): the wire image of a
 * random value of the generated type. Integers favour their bounds; optional members are present half the
 * time; below {@link #MAX_DEPTH} optional members are left out, lists are empty and alternates prefer a
 * scalar branch, so recursive types (a struct holding a list of itself) stay finite.
 */
final class RandomJson {
    static final int MAX_DEPTH = 4;
    private static final int HARD_DEPTH = 40;
    private static final String[] WORDS = {"", "a", "node-0", "with space", "quote\"and\\backslash",
        "tab\tnewline\n", "\u00e9t\u00e9", "\u65e5\u672c", "emoji \uD83D\uDE00", "\u0000nul", "x".repeat(300)};

    private final Random random;

    RandomJson(Random random) {
        this.random = random;
    }

    JsonValue value(SchemaType type, int depth) {
        if (depth > HARD_DEPTH) {
            throw new IllegalStateException("no finite value of " + type + " found within " + HARD_DEPTH
                    + " levels");
        }
        return switch (type) {
            case BuiltinType b -> builtin(b.name(), depth);
            case EnumType e -> new JsonString(e.values().get(random.nextInt(e.values().size())).name());
            case ArrayType a -> array(a, depth);
            case ObjectType o -> object(o, depth);
            case AlternateType a -> value(alternative(a, depth).type().type(), depth);
        };
    }

    JsonObject object(ObjectType type, int depth) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        fill(type, members, depth);
        return new JsonObject(members);
    }

    /** The members of {@code type}, then (for a union) those of the branch its discriminator selects. */
    private void fill(ObjectType type, Map<String, JsonValue> out, int depth) {
        for (Member m : type.members()) {
            if (m.optional() && (depth >= MAX_DEPTH || random.nextBoolean())) {
                continue;
            }
            out.put(m.name(), value(m.type().type(), depth + 1));
        }
        type.branches().ifPresent(branches -> {
            String tag = ((JsonString) out.get(branches.discriminator().name())).value();
            Variant v = branches.variants().stream().filter(x -> x.name().equals(tag)).findFirst().orElseThrow();
            fill((ObjectType) v.type().type(), out, depth);
        });
    }

    private Variant alternative(AlternateType type, int depth) {
        List<Variant> choices = type.alternatives();
        if (depth >= MAX_DEPTH) {
            List<Variant> scalar = choices.stream()
                    .filter(v -> !(v.type().type() instanceof ObjectType || v.type().type() instanceof ArrayType))
                    .toList();
            choices = scalar.isEmpty() ? choices : scalar;
        }
        return choices.get(random.nextInt(choices.size()));
    }

    private JsonArray array(ArrayType type, int depth) {
        int n = depth >= MAX_DEPTH ? 0 : random.nextInt(4);
        List<JsonValue> elements = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            elements.add(value(type.elementType().type(), depth + 1));
        }
        return new JsonArray(elements);
    }

    private JsonValue builtin(String name, int depth) {
        return switch (name) {
            case "str" -> new JsonString(string());
            case "int", "int64" -> new JsonInt(integer(Long.MIN_VALUE, Long.MAX_VALUE));
            case "int8" -> new JsonInt(integer(Byte.MIN_VALUE, Byte.MAX_VALUE));
            case "int16" -> new JsonInt(integer(Short.MIN_VALUE, Short.MAX_VALUE));
            case "int32" -> new JsonInt(integer(Integer.MIN_VALUE, Integer.MAX_VALUE));
            case "uint8" -> new JsonInt(integer(0, 255));
            case "uint16" -> new JsonInt(integer(0, 65535));
            case "uint32" -> new JsonInt(integer(0, 4294967295L));
            case "uint64", "size" -> uint64();
            case "number" -> new JsonDouble(number());
            case "bool" -> JsonBool.of(random.nextBoolean());
            case "null" -> JsonNull.NULL;
            case "any" -> any(depth);
            default -> throw new IllegalArgumentException("unknown built-in type " + name);
        };
    }

    String string() {
        return random.nextInt(3) == 0 ? WORDS[random.nextInt(WORDS.length)] : "s" + random.nextInt(100000);
    }

    /** A bound, a small value, or anything in [min, max]. */
    long integer(long min, long max) {
        return switch (random.nextInt(5)) {
            case 0 -> min;
            case 1 -> max;
            case 2 -> Math.clamp(random.nextInt(7) - 3, min, max);
            default -> min == Long.MIN_VALUE && max == Long.MAX_VALUE ? random.nextLong()
                    : random.nextLong(min, max + 1);
        };
    }

    private JsonValue uint64() {
        long bits = switch (random.nextInt(5)) {
            case 0 -> 0;
            case 1 -> -1L; // 2^64 - 1
            case 2 -> Long.MIN_VALUE; // 2^63
            case 3 -> random.nextInt(1000);
            default -> random.nextLong();
        };
        return bits >= 0 ? new JsonInt(bits) : new JsonUint(bits);
    }

    private double number() {
        return switch (random.nextInt(6)) {
            case 0 -> 0.0;
            case 1 -> -0.0;
            case 2 -> Double.MIN_VALUE;
            case 3 -> -Double.MAX_VALUE;
            case 4 -> random.nextInt(2000) / 8.0;
            default -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
        };
    }

    /** Any JSON at all (for {@code any}), nested a little. */
    private JsonValue any(int depth) {
        int kind = random.nextInt(depth >= MAX_DEPTH ? 6 : 8);
        return switch (kind) {
            case 0 -> new JsonString(string());
            case 1 -> new JsonInt(random.nextLong());
            case 2 -> new JsonDouble(number());
            case 3 -> JsonBool.of(random.nextBoolean());
            case 4 -> JsonNull.NULL;
            case 5 -> uint64();
            case 6 -> {
                List<JsonValue> elements = new ArrayList<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    elements.add(any(depth + 1));
                }
                yield new JsonArray(elements);
            }
            default -> {
                Map<String, JsonValue> members = new LinkedHashMap<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    members.put(string(), any(depth + 1));
                }
                yield new JsonObject(members);
            }
        };
    }
}
