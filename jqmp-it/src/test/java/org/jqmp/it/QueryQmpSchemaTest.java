package org.jqmp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonBool;
import org.jqmp.json.JsonNull;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code query-qmp-schema} from the running {@code jqmp run} process, checked against QEMU's introspection rules
 * ({@code docs/devel/qapi-code-gen.rst} "Client JSON Protocol introspection", {@code scripts/qapi/introspect.py}):
 * every entry is a well-formed SchemaInfo of its meta-type; every command {@code query-commands} lists is
 * there; names are masked as QEMU masks them (only commands, events and built-ins keep their names; every
 * other type is a decimal number, arrays are {@code [element]}, integer types all appear as {@code int}); every
 * type name a member, argument, result, branch or element refers to resolves to an entry; only types reachable
 * from commands and events are listed; union cases are values of their tag's enum. The same rules are first
 * run over QEMU 7.2's own recorded answer, so that they are QEMU's rules and not jqmp's habits.
 */
class QueryQmpSchemaTest {
    private static final Set<String> BUILTINS = Set.of("str", "int", "number", "bool", "null", "any");
    private static final Set<String> JSON_TYPES = Set.of("string", "number", "int", "boolean", "null", "object",
            "array", "value");
    private static final Map<String, Set<String>> KEYS = Map.of(
            "builtin", Set.of("json-type"),
            "enum", Set.of("members", "values"),
            "array", Set.of("element-type"),
            "object", Set.of("members", "tag", "variants"),
            "alternate", Set.of("members"),
            "command", Set.of("arg-type", "ret-type", "allow-oob"),
            "event", Set.of("arg-type"));

    @TempDir
    Path dir;
    Process jqmp;

    @AfterEach
    void stop() throws InterruptedException {
        Processes.stop(jqmp);
    }

    @Test
    void qemusOwnAnswerFollowsTheRules() throws IOException {
        Path recorded = Processes.shared().resolve("fixtures/qemu-7.2/query-qmp-schema.json");
        JsonArray schema = (JsonArray) QmpConnection.parse(Files.readString(recorded, StandardCharsets.UTF_8));
        assertThat(schema.size()).isEqualTo(1051);
        checkRules(schema);
        // QEMU decides reachability before conditions: CpuModelCompareResult (used only by s390x's
        // query-cpu-model-comparison) and DisplayCocoa (CONFIG_COCOA) stay on x86, unreachable
        assertThat(unreachable(schema)).hasSize(2);
    }

    @Test
    void jqmpRunAnswersWithAWellFormedMaskedSchemaListingEveryCommand() throws Exception {
        Path socket = dir.resolve("q.sock");
        jqmp = Processes.jqmp(dir, List.of("-M", "none", "-nodefaults", "-S", "-display", "none",
                "-qmp", "unix:" + socket + ",server=on,wait=off"));
        JsonArray schema;
        JsonArray commands;
        try (QmpConnection c = QmpConnection.open(socket)) {
            assertThat(c.readMessage().has("QMP")).as("the greeting").isTrue();
            assertThat(execute(c, "qmp_capabilities")).isEqualTo(JsonObject.EMPTY);
            schema = (JsonArray) execute(c, "query-qmp-schema");
            commands = (JsonArray) execute(c, "query-commands");
        }
        checkRules(schema);
        assertThat(unreachable(schema)).as("entries no command or event reaches").isEmpty();
        Map<String, JsonObject> byName = byName(schema);
        assertThat(commands.size()).isGreaterThan(10);
        for (JsonValue command : commands.elements()) {
            String name = string((JsonObject) command, "name");
            assertThat(byName).as("query-commands lists " + name).containsKey(name);
            assertThat(string(byName.get(name), "meta-type")).as(name).isEqualTo("command");
        }
        assertThat(byName).containsKeys("query-qmp-schema", "qmp_capabilities", "query-commands");
        // QEMU 7.2's exact shape of the introspection command itself: no arguments, a list of SchemaInfo
        JsonObject query = byName.get("query-qmp-schema");
        assertThat(byName.get(string(query, "ret-type")).get("meta-type")).isEqualTo(new JsonString("array"));
        assertThat(((JsonArray) byName.get(string(query, "arg-type")).get("members")).size()).isZero();
    }

    private static JsonValue execute(QmpConnection c, String command) throws IOException {
        String id = "it-" + command;
        c.send(("{\"execute\":\"" + command + "\",\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
        while (true) {
            JsonObject message = c.readMessage();
            if (new JsonString(id).equals(message.get("id"))) {
                assertThat(message.has("return")).as(command + " answered " + message).isTrue();
                return message.get("return");
            }
        }
    }

    // ---- the rules

    /** The rules; returns the type names each entry refers to. */
    static Map<String, Set<String>> checkRules(JsonArray schema) {
        Map<String, JsonObject> byName = byName(schema);
        assertThat(byName).as("names are unique").hasSize(schema.size());
        Map<String, Set<String>> references = new HashMap<>();
        for (JsonObject entry : byName.values()) {
            String name = string(entry, "name");
            String meta = string(entry, "meta-type");
            assertThat(KEYS).as(name + ": meta-type").containsKey(meta);
            Set<String> allowed = new HashSet<>(KEYS.get(meta));
            allowed.addAll(List.of("name", "meta-type", "features"));
            assertThat(allowed).as(name + ": members").containsAll(entry.members().keySet());
            features(entry, name);
            checkName(entry, name, meta);
            Set<String> refs = new HashSet<>();
            checkShape(entry, name, meta, byName, (what, ref) -> {
                assertThat(byName).as(name + ": " + what + " '" + ref + "' resolves").containsKey(ref);
                refs.add(ref);
            });
            references.put(name, refs);
        }
        return references;
    }

    /** Masking: only commands, events and built-ins keep their names; arrays are [element]; others numbers. */
    private static void checkName(JsonObject entry, String name, String meta) {
        switch (meta) {
            case "command", "event" -> assertThat(name).as(meta).matches("[A-Za-z][A-Za-z0-9_.+-]*");
            case "builtin" -> assertThat(BUILTINS).as("built-in (every integer type is int)").contains(name);
            case "array" -> assertThat(name).isEqualTo("[" + string(entry, "element-type") + "]");
            default -> assertThat(name).as(meta + " names are masked").matches("0|[1-9][0-9]*");
        }
    }

    private static void checkShape(JsonObject e, String name, String meta, Map<String, JsonObject> byName,
                                   BiConsumer<String, String> ref) {
        switch (meta) {
            case "builtin" -> assertThat(JSON_TYPES).as(name).contains(string(e, "json-type"));
            case "array" -> ref.accept("element-type", string(e, "element-type"));
            case "enum" -> {
                List<String> values = new ArrayList<>();
                for (JsonObject m : objects(e, "members")) {
                    assertThat(Set.of("name", "features")).as(name).containsAll(m.members().keySet());
                    values.add(string(m, "name"));
                    features(m, name);
                }
                if (e.has("values")) { // deprecated since 6.2, still sent: the same names
                    assertThat(((JsonArray) e.get("values")).elements()).as(name)
                            .isEqualTo(values.stream().map(JsonString::new).toList());
                }
            }
            case "object" -> checkObject(e, name, byName, ref);
            case "alternate" -> {
                assertThat(objects(e, "members")).as(name + ": alternatives").isNotEmpty();
                for (JsonObject m : objects(e, "members")) {
                    assertThat(m.members().keySet()).as(name).containsExactly("type");
                    ref.accept("alternative", string(m, "type"));
                }
            }
            case "command" -> {
                ref.accept("arg-type", string(e, "arg-type"));
                ref.accept("ret-type", string(e, "ret-type"));
                if (e.has("allow-oob")) {
                    assertThat(e.get("allow-oob")).as(name + ": allow-oob is only sent when true")
                            .isEqualTo(JsonBool.TRUE);
                }
                assertThat(string(byName.get(string(e, "arg-type")), "meta-type")).as(name + ": arguments")
                        .isEqualTo("object");
            }
            default -> {
                ref.accept("arg-type", string(e, "arg-type"));
                assertThat(string(byName.get(string(e, "arg-type")), "meta-type")).as(name + ": data")
                        .isEqualTo("object");
            }
        }
    }

    private static void checkObject(JsonObject e, String name, Map<String, JsonObject> byName,
                                    BiConsumer<String, String> ref) {
        Map<String, String> memberTypes = new HashMap<>();
        for (JsonObject m : objects(e, "members")) {
            assertThat(Set.of("name", "type", "default", "features")).as(name).containsAll(m.members().keySet());
            if (m.has("default")) {
                assertThat(m.get("default")).as(name + ": an optional member's default").isEqualTo(JsonNull.NULL);
            }
            assertThat(memberTypes.put(string(m, "name"), string(m, "type"))).as(name + ": member names unique")
                    .isNull();
            ref.accept("member type", string(m, "type"));
            features(m, name);
        }
        assertThat(e.has("tag")).as(name + ": tag and variants come together").isEqualTo(e.has("variants"));
        if (!e.has("tag")) {
            return;
        }
        String tagType = memberTypes.get(string(e, "tag"));
        assertThat(tagType).as(name + ": the tag is a member").isNotNull();
        JsonObject tagEnum = byName.get(tagType);
        assertThat(string(tagEnum, "meta-type")).as(name + ": the tag is an enum").isEqualTo("enum");
        Set<String> values = new HashSet<>();
        objects(tagEnum, "members").forEach(v -> values.add(string(v, "name")));
        for (JsonObject v : objects(e, "variants")) {
            assertThat(v.members().keySet()).as(name).containsExactlyInAnyOrder("case", "type");
            assertThat(values).as(name + ": variant case").contains(string(v, "case"));
            ref.accept("variant type", string(v, "type"));
            assertThat(string(byName.get(string(v, "type")), "meta-type")).isEqualTo("object");
        }
    }

    /** introspect.py lists only the types that commands and events reach: the names of any others. */
    private static Set<String> unreachable(JsonArray schema) {
        Map<String, JsonObject> byName = byName(schema);
        Map<String, Set<String>> references = checkRules(schema);
        Set<String> reached = new HashSet<>();
        List<String> work = new ArrayList<>();
        byName.values().stream().filter(e -> Set.of("command", "event").contains(string(e, "meta-type")))
                .forEach(e -> work.add(string(e, "name")));
        while (!work.isEmpty()) {
            String next = work.removeLast();
            if (reached.add(next)) {
                work.addAll(references.get(next));
            }
        }
        Set<String> rest = new HashSet<>(byName.keySet());
        rest.removeAll(reached);
        return rest;
    }

    private static void features(JsonObject entry, String where) {
        if (entry.has("features")) {
            for (JsonValue f : ((JsonArray) entry.get("features")).elements()) {
                assertThat(f).as(where + ": feature").isInstanceOf(JsonString.class);
            }
        }
    }

    private static Map<String, JsonObject> byName(JsonArray schema) {
        Map<String, JsonObject> byName = new HashMap<>();
        for (JsonValue v : schema.elements()) {
            assertThat(v).as("a SchemaInfo").isInstanceOf(JsonObject.class);
            byName.put(string((JsonObject) v, "name"), (JsonObject) v);
        }
        return byName;
    }

    private static List<JsonObject> objects(JsonObject o, String key) {
        assertThat(o.get(key)).as(key + " of " + o.get("name")).isInstanceOf(JsonArray.class);
        return ((JsonArray) o.get(key)).elements().stream().map(JsonObject.class::cast).toList();
    }

    private static String string(JsonObject o, String key) {
        assertThat(o.get(key)).as(key + " of " + o.get("name")).isInstanceOf(JsonString.class);
        return ((JsonString) o.get(key)).value();
    }
}
