package org.jqmp.qapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jqmp.qapi.model.BuiltinType;
import org.jqmp.qapi.model.Command;
import org.jqmp.qapi.model.Definition;
import org.jqmp.qapi.model.Event;
import org.jqmp.qapi.model.Feature;
import org.jqmp.qapi.model.Member;
import org.jqmp.qapi.model.ObjectType;
import org.jqmp.qapi.model.Schema;
import org.jqmp.qapi.model.TypeRef;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The model of QEMU 7.2's schema agrees with what the real QEMU 7.2 (x86_64) answered to query-qmp-schema.
 * The schema has more commands and events than that build: those behind a condition that was false there
 * (other targets, features not compiled in). So: every introspected command and event is in the model,
 * every one missing from introspection is conditional, and flags, arguments and features agree.
 */
class IntrospectionAgreementTest {
    private static Schema schema;
    private static Map<String, Map<String, Object>> byName;

    @BeforeAll
    static void load() throws IOException {
        var file = QemuFixtures.require("qemu-7.2/query-qmp-schema.json");
        schema = QemuSchemaTest.qemu72();
        byName = new HashMap<>();
        for (Object v : (List<?>) MiniJson.parse(Files.readString(file))) {
            Map<String, Object> o = map(v);
            byName.put(string(o, "name"), o);
        }
    }

    private static String string(Map<String, Object> o, String key) {
        return (String) o.get(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static List<Map<String, Object>> ofMeta(String meta) {
        return byName.values().stream().filter(o -> string(o, "meta-type").equals(meta)).toList();
    }

    @Test
    void everyIntrospectedCommandAndEventIsInTheModel() {
        assertThat(ofMeta("command")).hasSize(216);
        assertThat(ofMeta("event")).hasSize(52);
        for (Map<String, Object> c : ofMeta("command")) {
            assertThat(schema.command(string(c, "name"))).as(string(c, "name")).isPresent();
        }
        for (Map<String, Object> e : ofMeta("event")) {
            assertThat(schema.event(string(e, "name"))).as(string(e, "name")).isPresent();
        }
    }

    @Test
    void whatTheBuildLeftOutIsConditional() {
        List<Definition> missing = new java.util.ArrayList<>();
        missing.addAll(schema.commands().stream().filter(c -> !byName.containsKey(c.name())).toList());
        missing.addAll(schema.events().stream().filter(e -> !byName.containsKey(e.name())).toList());
        // 220 - 216 commands, all for other targets (s390x, arm); all 52 events are there
        assertThat(missing).extracting(Definition::name).containsExactlyInAnyOrder("query-cpu-model-comparison",
                "query-cpu-model-baseline", "dump-skeys", "query-gic-capabilities");
        assertThat(missing).allSatisfy(d -> assertThat(d.condition().holds(X86_64_BUILD)).as(d.name()).isFalse());
    }

    /** The fixture's build: target x86_64 (TARGET_I386), and every CONFIG_ it was asked about compiled in. */
    private static final java.util.function.Predicate<String> X86_64_BUILD =
            sym -> sym.equals("TARGET_I386") || !sym.startsWith("TARGET_");

    @Test
    void everyIntrospectedCommandsConditionHoldsForThatBuild() {
        for (Map<String, Object> c : ofMeta("command")) {
            Command cmd = schema.command(string(c, "name")).orElseThrow();
            assertThat(cmd.condition().holds(X86_64_BUILD)).as(cmd.name() + " if " + cmd.condition()).isTrue();
        }
    }

    @Test
    void allowOobAgrees() {
        for (Map<String, Object> c : ofMeta("command")) {
            boolean oob = Boolean.TRUE.equals(c.get("allow-oob"));
            assertThat(schema.command(string(c, "name")).orElseThrow().allowOob()).as(string(c, "name"))
                    .isEqualTo(oob);
        }
    }

    @Test
    void unconditionalArgumentsAgree() {
        int compared = 0;
        for (Map<String, Object> c : ofMeta("command")) {
            Command cmd = schema.command(string(c, "name")).orElseThrow();
            compared += compareMembers(cmd.argType(), string(c, "arg-type"), cmd.name()) ? 1 : 0;
        }
        for (Map<String, Object> e : ofMeta("event")) {
            Event ev = schema.event(string(e, "name")).orElseThrow();
            compared += compareMembers(ev.argType(), string(e, "arg-type"), ev.name()) ? 1 : 0;
        }
        assertThat(compared).isGreaterThan(250);
    }

    /** Compares "name" or "*name" per member; false (skipped) when a member is conditional. */
    private static boolean compareMembers(Optional<TypeRef> argType, String introspectedName, String owner) {
        List<Member> members = argType.map(t -> ((ObjectType) t.type()).members()).orElse(List.of());
        if (members.stream().anyMatch(m -> m.condition().isPresent())) {
            return false;
        }
        Set<String> ours = members.stream().map(m -> (m.optional() ? "*" : "") + m.name())
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, Object> type = byName.get(introspectedName);
        Set<String> theirs = new TreeSet<>();
        for (Object v : (List<?>) type.get("members")) {
            Map<String, Object> m = map(v);
            theirs.add((m.containsKey("default") ? "*" : "") + string(m, "name"));
        }
        assertThat(ours).as(owner).isEqualTo(theirs);
        return true;
    }

    @Test
    void returnTypesAgreeInKind() {
        for (Map<String, Object> c : ofMeta("command")) {
            Command cmd = schema.command(string(c, "name")).orElseThrow();
            String ret = string(c, "ret-type");
            switch (cmd.returnType().map(TypeRef::type).orElse(null)) {
                case null -> assertThat((List<?>) byName.get(ret).get("members")).isEmpty();
                case BuiltinType b -> assertThat(ret).isEqualTo(b.jsonType().wireName().equals("int")
                        ? "int" : b.name());
                case org.jqmp.qapi.model.ArrayType a -> assertThat(ret).startsWith("[");
                default -> assertThat(ret).as(cmd.name()).matches("[0-9]+");
            }
        }
    }

    @Test
    void commandFeaturesAgree() {
        for (Map<String, Object> c : ofMeta("command")) {
            Command cmd = schema.command(string(c, "name")).orElseThrow();
            List<String> theirs = c.get("features") instanceof List<?> l
                    ? l.stream().map(String.class::cast).toList() : List.of();
            assertThat(cmd.features()).extracting(Feature::name).as(cmd.name())
                    .containsExactlyInAnyOrderElementsOf(theirs);
        }
    }
}
