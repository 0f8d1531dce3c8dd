package org.jqmp.qapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jqmp.qapi.model.AlternateType;
import org.jqmp.qapi.model.ArrayType;
import org.jqmp.qapi.model.BuiltinType;
import org.jqmp.qapi.model.Command;
import org.jqmp.qapi.model.EnumType;
import org.jqmp.qapi.model.Event;
import org.jqmp.qapi.model.JsonType;
import org.jqmp.qapi.model.ObjectType;
import org.jqmp.qapi.model.Schema;
import org.jqmp.qapi.model.SchemaType;
import org.jqmp.qapi.model.TypeRef;
import org.jqmp.qapi.model.Variant;
import org.junit.jupiter.api.Test;

/**
 * The walk an introspection builder will make (qapi/introspect.py): from every command and event through
 * argument, return, member, branch, alternative and element types, with QEMU's folding of all integer types
 * into {@code int}. The walk ignores conditions, as QEMU's generator does; each reached entity is then
 * compiled in or out by its own condition. On QEMU 7.2's schema this gives exactly as many entities of each
 * kind as the real QEMU 7.2 x86_64 listed in query-qmp-schema, for a build with target x86_64 and every
 * CONFIG_ except three that only exist elsewhere or were not enabled: CONFIG_BLKIO (libblkio),
 * CONFIG_VMNET and CONFIG_COCOA (macOS). (An enum like CpuModelCompareResult is listed although only an
 * s390x command uses it: it has no condition of its own.)
 */
class ReachableTypesTest {
    private static final Set<String> NOT_BUILT = Set.of("CONFIG_BLKIO", "CONFIG_VMNET", "CONFIG_COCOA");
    private static final Predicate<String> X86_64_BUILD =
            s -> s.equals("TARGET_I386") || !s.startsWith("TARGET_") && !NOT_BUILT.contains(s);

    @Test
    void reachableTypesMatchTheRealIntrospection() throws IOException {
        Schema schema = QemuSchemaTest.qemu72();
        Map<String, Integer> real = new HashMap<>();
        for (Object o : (List<?>) MiniJson.parse(Files.readString(
                QemuFixtures.require("qemu-7.2/query-qmp-schema.json")))) {
            real.merge((String) ((Map<?, ?>) o).get("meta-type"), 1, Integer::sum);
        }
        Set<String> reached = reachable(schema);
        Map<String, Integer> ours = new HashMap<>();
        reached.stream().filter(n -> schema.type(n).orElseThrow().condition().holds(X86_64_BUILD))
                .forEach(n -> ours.merge(metaType(schema, n), 1, Integer::sum));
        ours.put("command", (int) schema.commands().stream().filter(c -> c.condition().holds(X86_64_BUILD)).count());
        ours.put("event", (int) schema.events().stream().filter(e -> e.condition().holds(X86_64_BUILD)).count());
        assertThat(ours).isEqualTo(real);
    }

    private static String metaType(Schema schema, String name) {
        return switch (schema.type(name).orElseThrow()) {
            case BuiltinType b -> "builtin";
            case EnumType e -> "enum";
            case ArrayType a -> "array";
            case ObjectType o -> "object";
            case AlternateType a -> "alternate";
        };
    }

    private static Set<String> reachable(Schema schema) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (Command c : schema.commands()) {
            todo.add(c.argType().map(TypeRef::name).orElse(ObjectType.EMPTY));
            todo.add(c.returnType().map(TypeRef::name).orElse(ObjectType.EMPTY));
        }
        for (Event e : schema.events()) {
            todo.add(e.argType().map(TypeRef::name).orElse(ObjectType.EMPTY));
        }
        while (!todo.isEmpty()) {
            String name = folded(schema, todo.poll());
            if (seen.add(name)) {
                todo.addAll(uses(schema.type(name).orElseThrow()));
            }
        }
        return seen;
    }

    /** introspect.py's _use_type: every integer type is shown as int, arrays of them as [int]. */
    private static String folded(Schema schema, String name) {
        SchemaType t = schema.type(name).orElseThrow();
        if (t.jsonType() == JsonType.INT) {
            return "int";
        }
        if (t instanceof ArrayType a && a.elementType().type().jsonType() == JsonType.INT) {
            return "intList";
        }
        return name;
    }

    private static List<String> uses(SchemaType type) {
        return switch (type) {
            case ObjectType o -> {
                List<String> names = new java.util.ArrayList<>(o.members().stream().map(m -> m.type().name())
                        .toList());
                o.branches().ifPresent(b -> b.variants().stream().map(Variant::type).map(TypeRef::name)
                        .forEach(names::add));
                yield names;
            }
            case AlternateType a -> a.alternatives().stream().map(v -> v.type().name()).toList();
            case ArrayType a -> List.of(a.elementType().name());
            default -> List.of();
        };
    }
}
