package org.jqmp.qapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jqmp.qapi.gen.Introspection;
import org.jqmp.qapi.model.Schema;
import org.junit.jupiter.api.Test;

/**
 * jqmp's own schema ({@code schema/} at the repository root) declares its commands and events with QEMU 7.2's
 * shapes: for every command and event, the introspected argument and return types, flags and features equal
 * the real QEMU 7.2's once masked names are resolved to what they stand for (numbers differ: jqmp's schema
 * has fewer entities).
 */
class OwnSchemaAgreementTest {
    private static final Path OWN = Path.of("../schema/qapi-schema.json");

    @Test
    void ownSchemaChecksAndMatchesQemu72() throws IOException {
        Schema schema = QapiCompiler.check(OWN);
        List<?> ours = (List<?>) GeneratedIntrospectionTest.plain(Introspection.build(schema, s -> true));
        List<?> real = (List<?>) MiniJson.parse(Files.readString(
                QemuFixtures.require("qemu-7.2/query-qmp-schema.json")));
        Map<String, Map<?, ?>> ourTable = table(ours);
        Map<String, Map<?, ?>> realTable = table(real);
        int compared = 0;
        for (Map<?, ?> entity : ourTable.values()) {
            String meta = (String) entity.get("meta-type");
            if (!meta.equals("command") && !meta.equals("event")) {
                continue;
            }
            String name = (String) entity.get("name");
            Map<?, ?> theirs = realTable.get(name);
            assertThat(theirs).as(name + " exists in QEMU 7.2").isNotNull();
            assertThat(canonical(entity, ourTable)).as(name).isEqualTo(canonical(theirs, realTable));
            compared++;
        }
        // at least the 42 of the first schema; each change to schema/ adds to this
        assertThat(compared).isGreaterThanOrEqualTo(42);
    }

    private static Map<String, Map<?, ?>> table(List<?> entities) {
        return entities.stream().map(e -> (Map<?, ?>) e)
                .collect(Collectors.toMap(e -> (String) e.get("name"), e -> e, (a, b) -> a, HashMap::new));
    }

    /** The entity with every type name replaced by the type's structure, cycles cut by depth. */
    private static String canonical(Map<?, ?> entity, Map<String, Map<?, ?>> table) {
        return resolve(entity, table, new ArrayDeque<>());
    }

    private static String resolve(Object value, Map<String, Map<?, ?>> table, Deque<String> stack) {
        return switch (value) {
            case Map<?, ?> m -> m.entrySet().stream()
                    .filter(e -> !e.getKey().equals("name") || !isMasked(e.getValue()))
                    .sorted(Map.Entry.comparingByKey((a, b) -> ((String) a).compareTo((String) b)))
                    .map(e -> e.getKey() + "=" + (isTypeKey((String) e.getKey())
                            ? type((String) e.getValue(), table, stack) : resolve(e.getValue(), table, stack)))
                    .collect(Collectors.joining(", ", "{", "}"));
            case List<?> l -> l.stream().map(v -> resolve(v, table, stack)).collect(Collectors.joining(", ", "[", "]"));
            case null -> "null";
            default -> value.toString();
        };
    }

    private static boolean isTypeKey(String key) {
        return List.of("type", "arg-type", "ret-type", "element-type").contains(key);
    }

    private static boolean isMasked(Object name) {
        return name instanceof String s && s.matches("\\[*[0-9]+\\]*");
    }

    private static String type(String name, Map<String, Map<?, ?>> table, Deque<String> stack) {
        if (stack.contains(name)) {
            return "<cycle " + stack.size() + ">";
        }
        Map<?, ?> t = table.get(name);
        if (t == null) {
            return "<missing " + name + ">";
        }
        stack.push(name);
        String s = resolve(t, table, stack);
        stack.pop();
        return s;
    }
}
