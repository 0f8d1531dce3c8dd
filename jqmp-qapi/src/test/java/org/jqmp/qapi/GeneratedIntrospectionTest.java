package org.jqmp.qapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonBool;
import org.jqmp.json.JsonNull;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;
import org.jqmp.qapi.gen.Introspection;
import org.junit.jupiter.api.Test;

/**
 * The generator's SchemaInfo list for QEMU 7.2's schema, for the x86_64 build the fixture was recorded from
 * (see {@link ReachableTypesTest} for the configuration), is exactly what the real QEMU 7.2 returned for
 * query-qmp-schema: the same 1051 entries in the same order, the same masked numbers, members, variants,
 * defaults and features. Compared as data (member order inside an object does not matter on the wire).
 */
class GeneratedIntrospectionTest {
    private static final Set<String> NOT_BUILT = Set.of("CONFIG_BLKIO", "CONFIG_VMNET", "CONFIG_COCOA");
    static final Predicate<String> X86_64_BUILD =
            s -> s.equals("TARGET_I386") || !s.startsWith("TARGET_") && !NOT_BUILT.contains(s);

    @Test
    void qemu72IntrospectionEqualsTheRealOne() throws IOException {
        Object real = MiniJson.parse(Files.readString(QemuFixtures.require("qemu-7.2/query-qmp-schema.json")));
        List<?> ours = (List<?>) plain(Introspection.build(QemuSchemaTest.qemu72(), X86_64_BUILD));
        List<?> theirs = (List<?>) real;
        for (int i = 0; i < Math.min(ours.size(), theirs.size()); i++) {
            assertThat(ours.get(i)).as("entry %d", i).isEqualTo(theirs.get(i));
        }
        assertThat(ours).hasSameSizeAs(theirs);
    }

    @Test
    void unmaskedNamesAreTheSchemaNames() {
        JsonArray unmasked = Introspection.buildUnmasked(QemuSchemaTest.qemu72(), X86_64_BUILD);
        List<String> names = unmasked.elements().stream()
                .map(v -> ((JsonString) ((JsonObject) v).get("name")).value()).toList();
        assertThat(names).contains("query-status", "RunState", "StatusInfo", "q_empty", "[str]", "int")
                .doesNotContain("int8", "size", "0");
    }

    /** JSON values as MiniJson reads them: Map, List, String, Boolean, null. */
    static Object plain(JsonValue v) {
        return switch (v) {
            case JsonObject o -> {
                Map<String, Object> m = new LinkedHashMap<>();
                o.members().forEach((k, x) -> m.put(k, plain(x)));
                yield m;
            }
            case JsonArray a -> {
                List<Object> l = new ArrayList<>();
                a.elements().forEach(x -> l.add(plain(x)));
                yield l;
            }
            case JsonString s -> s.value();
            case JsonBool b -> b.value();
            case JsonNull n -> null;
            default -> throw new IllegalArgumentException("unexpected number " + v);
        };
    }
}
