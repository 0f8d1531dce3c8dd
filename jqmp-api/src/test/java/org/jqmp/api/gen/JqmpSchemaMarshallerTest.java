package org.jqmp.api.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.nio.file.Path;
import org.jqmp.qapi.QapiCompiler;
import org.jqmp.qapi.model.Command;
import org.jqmp.api.QmpCommandTable;
import org.jqmp.api.SchemaIntrospection;
import org.jqmp.api.runtime.CommandContext;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.json.JsonArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The API generated at build time from jqmp's own schema: the registration table has every command with
 * QEMU 7.2's flags, and the marshallers give the argument errors QEMU 7.2 gave in the recorded transcripts
 * ({@code shared/fixtures/qemu-7.2/*.jsonl}) before any handler runs.
 */
class JqmpSchemaMarshallerTest {
    static final List<String> calls = new ArrayList<>();
    static CommandTable table;

    record Context(CompatPolicy compatPolicy, boolean outOfBand) implements CommandContext {
    }

    @BeforeAll
    static void build() throws ReflectiveOperationException {
        Method build = Arrays.stream(QmpCommandTable.class.getMethods()).filter(m -> m.getName().equals("build"))
                .findFirst().orElseThrow();
        Object[] handlers = Arrays.stream(build.getParameterTypes())
                .map(t -> Proxy.newProxyInstance(t.getClassLoader(), new Class<?>[]{t}, (p, m, a) -> {
                    calls.add(m.getName());
                    return null;
                })).toArray();
        table = (CommandTable) build.invoke(null, handlers);
    }

    @Test
    void everyCommandIsRegisteredWithQemusFlags() {
        // every command the schema declares, and nothing else, is registered
        List<String> declared = QapiCompiler.check(Path.of("../schema/qapi-schema.json")).commands().stream()
                .map(Command::name).toList();
        assertThat(table.all()).extracting(d -> d.name()).containsExactlyInAnyOrderElementsOf(declared);
        // ... and the seed's commands are among them
        assertThat(declared).contains("quit", "stop", "system_reset", "blockdev-snapshot-sync", "add_client",
                "qmp_capabilities", "query-version", "query-commands", "query-chardev", "query-block",
                "query-blockstats", "query-kvm", "query-status", "query-mice", "query-name", "query-uuid",
                "query-migrate");
        assertThat(table.lookup("yank").allowOob()).isTrue();
        assertThat(table.lookup("query-yank").allowOob()).isTrue();
        assertThat(table.lookup("qmp_capabilities").allowPreconfig()).isTrue();
        assertThat(table.lookup("query-qmp-schema").allowPreconfig()).isTrue();
        assertThat(table.lookup("stop").allowPreconfig()).isFalse();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            qmp_capabilities       | {'enable': ['no-such-cap']}         | Parameter 'null' does not accept value 'no-such-cap'
            qmp_capabilities       | {'x': 1}                            | Parameter 'x' is unexpected
            getfd                  | {}                                  | Parameter 'fdname' is missing
            closefd                | {'fdname': 1}                       | Invalid parameter type for 'fdname', expected: string
            query-blockstats       | {'query-nodes': 'yes'}              | Invalid parameter type for 'query-nodes', expected: boolean
            blockdev-snapshot-sync | {'snapshot-file': 'x', 'mode': 'bogus'} | Parameter 'mode' does not accept value 'bogus'
            yank                   | {'instances': [{'type': 'chardev'}]} | Parameter 'instances[0].id' is missing
            yank                   | {'instances': [{'type': 'nope'}]}   | Parameter 'type' does not accept value 'nope'
            """)
    void qemusArgumentErrors(String command, String arguments, String desc) {
        calls.clear();
        assertThatThrownBy(() -> table.lookup(command).handler().execute(TestJson.object(arguments),
                new Context(CompatPolicy.ACCEPT_ALL, false))).isInstanceOf(QmpException.class).hasMessage(desc);
        assertThat(calls).isEmpty();
    }

    @Test
    void validArgumentsReachTheHandler() {
        calls.clear();
        table.lookup("getfd").handler().execute(TestJson.object("{'fdname': 'fd0'}"),
                new Context(CompatPolicy.ACCEPT_ALL, false));
        assertThat(calls).containsExactly("getfd");
    }

    @Test
    void introspectionListsEveryCommand() {
        JsonArray schema = SchemaIntrospection.schemaInfo();
        for (var d : table.all()) {
            assertThat(schema.elements()).as(d.name()).anyMatch(e -> ((org.jqmp.json.JsonObject) e).get("name")
                    .equals(new org.jqmp.json.JsonString(d.name())));
        }
    }
}
