package org.jqmp.api.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmp.api.runtime.CommandContext;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.EventSink;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonValue;
import org.jqmp.qapi.QapiCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Marshallers generated from jqmp-qapi's demo schema (the golden-file schema), compiled and run: every
 * argument error comes with QEMU's text, in QEMU's order, and never reaches the handler; results are converted
 * under the output policy.
 */
class GeneratedMarshallerTest {
    private static final Path DEMO = Path.of("../jqmp-qapi/src/test/resources/gen/demo.json");
    private static final CompatPolicy REJECT_ALL = new CompatPolicy(CompatPolicy.Input.REJECT,
            CompatPolicy.Output.HIDE, CompatPolicy.Input.REJECT, CompatPolicy.Output.HIDE);
    private static final String ITEM = "{'name': 'a', 'mode': 'fast'}";

    @TempDir
    static Path work;
    static CompiledSchema demo;
    static CommandTable table;

    record Context(CompatPolicy compatPolicy, boolean outOfBand) implements CommandContext {
    }

    @BeforeAll
    static void compile() throws Exception {
        demo = CompiledSchema.compile(QapiCompiler.check(DEMO), "org.jqmp.demo", work);
        table = demo.table();
    }

    @BeforeEach
    void reset() {
        demo.calls.clear();
        demo.results.put("demoAdd", TestJson.parse(ITEM));
        demo.results.put("demoCount", TestJson.parse("42"));
        demo.results.put("demoShape", TestJson.parse("[{'kind': 'point'}]"));
    }

    private static JsonValue run(String command, String arguments, CompatPolicy policy) {
        return table.lookup(command).handler().execute(TestJson.object(arguments), new Context(policy, false));
    }

    private static JsonValue run(String command, String arguments) {
        return run(command, arguments, CompatPolicy.ACCEPT_ALL);
    }

    private static void assertError(String command, String arguments, String desc) {
        assertError(command, arguments, CompatPolicy.ACCEPT_ALL, desc);
    }

    private static void assertError(String command, String arguments, CompatPolicy policy, String desc) {
        assertThatThrownBy(() -> run(command, arguments, policy)).isInstanceOf(QmpException.class)
                .hasMessage(desc);
        assertThat(demo.calls).as("the handler must not run").isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {}                                                         | Parameter 'item' is missing
            {'item': 1}                                                | Invalid parameter type for 'item', expected: object
            {'item': {'mode': 'fast'}}                                 | Parameter 'item.name' is missing
            {'item': {'name': 3, 'mode': 'fast'}}                      | Invalid parameter type for 'item.name', expected: string
            {'item': {'name': 'a', 'mode': 'bogus'}}                   | Parameter 'mode' does not accept value 'bogus'
            {'item': {'name': 'a', 'mode': 7}}                         | Invalid parameter type for 'item.mode', expected: string
            {'item': {'name': 'a', 'mode': 'fast', 'tags': 'x'}}       | Invalid parameter type for 'item.tags', expected: array
            {'item': {'name': 'a', 'mode': 'fast', 'tags': ['x', 2]}}  | Invalid parameter type for 'item.tags[1]', expected: string
            {'item': {'name': 'a', 'mode': 'fast', 'children': [{'name': 'b', 'mode': 'slow'}, {'mode': 'slow'}]}} | Parameter 'item.children[1].name' is missing
            {'item': {'name': 'a', 'mode': 'fast', 'legacy': 1.5}}     | Invalid parameter type for 'item.legacy', expected: integer
            {'item': {'name': 'a', 'mode': 'fast', 'x': 1}}            | Parameter 'item.x' is unexpected
            {'item': {'name': 'a', 'mode': 'fast'}, 'count': 256}      | Parameter 'count' expects uint8_t
            {'item': {'name': 'a', 'mode': 'fast'}, 'count': -1}       | Parameter 'count' expects uint8_t
            {'item': {'name': 'a', 'mode': 'fast'}, 'count': true}     | Parameter 'count' expects uint64
            {'item': {'name': 'a', 'mode': 'fast'}, 'mode': 'bogus'}   | Parameter 'mode' does not accept value 'bogus'
            {'item': {'name': 'a', 'mode': 'fast'}, 'modes': ['fast', 'no']} | Parameter 'null' does not accept value 'no'
            {'item': {'name': 'a', 'mode': 'fast'}, 'modes': ['fast', 1]} | Invalid parameter type for 'modes[1]', expected: string
            {'item': {'name': 'a', 'mode': 'fast'}, 'where': 1}        | Invalid parameter type for 'where', expected: StrOrItem
            {'item': {'name': 'a', 'mode': 'fast'}, 'where': {'name': 'b'}} | Parameter 'where.mode' is missing
            {'item': {'name': 'a', 'mode': 'fast'}, 'extra': 1}        | Parameter 'extra' is unexpected
            {'extra': 1}                                               | Parameter 'item' is missing
            """)
    void demoAddArgumentErrors(String arguments, String desc) {
        assertError("demo-add", arguments, desc);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {'kind': 'circle', 'radius': 'x'}  | Parameter 'radius' expects uint64
            {'kind': 'circle'}                 | Parameter 'radius' is missing
            {'kind': 'square', 'side': 40000}  | Parameter 'side' expects int16_t
            {'kind': 'square', 'side': 1.0}    | Invalid parameter type for 'side', expected: integer
            {'kind': 'hexagon'}                | Parameter 'kind' does not accept value 'hexagon'
            {'kind': 'point', 'radius': 1}     | Parameter 'radius' is unexpected
            {'label': 'x'}                     | Parameter 'kind' is missing
            """)
    void boxedUnionArgumentErrors(String arguments, String desc) {
        assertError("demo-shape", arguments, desc);
    }

    @Test
    void everyScalarTypeErrorText() {
        // demo-count takes no arguments; the struct Numbers is read through its generated reader
        String ok = "'i8': 0, 'i16': 0, 'i32': 0, 'i64': 0, 'i': 0, 'u8': 0, 'u16': 0, 'u32': 0, 'u64': 0, 'sz': 0";
        assertNumbers("{" + ok + ", 'num': 'x'}", "Invalid parameter type for 'num', expected: number");
        assertNumbers("{" + ok + ", 'flag': 1}", "Invalid parameter type for 'flag', expected: boolean");
        assertNumbers("{" + ok + ", 'nothing': 0}", "Invalid parameter type for 'nothing', expected: null");
        assertNumbers("{" + ok.replace("'i8': 0", "'i8': 128") + "}", "Parameter 'i8' expects int8_t");
        assertNumbers("{" + ok.replace("'i32': 0", "'i32': 2147483648") + "}", "Parameter 'i32' expects int32_t");
        assertNumbers("{" + ok.replace("'u16': 0", "'u16': 65536") + "}", "Parameter 'u16' expects uint16_t");
        assertNumbers("{" + ok.replace("'u32': 0", "'u32': 4294967296") + "}", "Parameter 'u32' expects uint32_t");
        assertNumbers("{" + ok.replace("'u64': 0", "'u64': 1.5") + "}", "Parameter 'u64' expects uint64");
        assertNumbers("{" + ok.replace("'sz': 0", "'sz': '1G'") + "}", "Parameter 'sz' expects uint64");
        assertNumbers("{" + ok.replace("'i64': 0", "'i64': 9223372036854775808") + "}",
                "Invalid parameter type for 'i64', expected: integer");
        assertThat(readNumbers("{" + ok.replace("'u64': 0", "'u64': 18446744073709551615") + ", 'blob': [1]}"))
                .extracting("u64").isEqualTo(-1L);
    }

    private static Object readNumbers(String json) {
        try {
            return demo.fromJson(demo.type("Numbers"), TestJson.parse(json));
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw (RuntimeException) e.getCause();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertNumbers(String json, String desc) {
        assertThatThrownBy(() -> readNumbers(json)).isInstanceOf(QmpException.class).hasMessage(desc);
    }

    @Test
    void validArgumentsReachTheHandlerTypedAndTheResultIsConverted() {
        JsonValue result = run("demo-add", "{'item': {'name': 'a', 'mode': 'fast', 'tags': ['t'], "
                + "'children': [{'name': 'b', 'mode': 'slow'}]}, 'count': 3, 'modes': ['slow'], 'where': 'x'}");
        assertThat(demo.calls).containsExactly("demoAdd");
        Object[] args = demo.lastArguments;
        assertThat(args[0].toString()).startsWith("Item[name=a, tags=[t], mode=FAST");
        assertThat(args[1].toString()).isEqualTo("Name[value=x]");
        assertThat(args[2]).isEqualTo(3L);
        assertThat(args[3]).isNull();
        assertThat(args[4].toString()).isEqualTo("[SLOW]");
        assertThat(result).isEqualTo(TestJson.parse(ITEM));
    }

    @Test
    void returnsAreConverted() {
        assertThat(run("demo-count", "{}")).isEqualTo(TestJson.parse("42"));
        assertThat(run("demo-shape", "{'kind': 'circle', 'radius': 2}")).isEqualTo(TestJson.parse(
                "[{'kind': 'point'}]"));
        assertThat(run("demo-ping", "{}")).isNull();
        demo.calls.clear();
        assertError("demo-ping", "{'x': 1}", "Parameter 'x' is unexpected");
    }

    @Test
    void inputPolicyRejectsDeprecatedAndUnstableMembersAndValues() {
        assertError("demo-add", "{'item': {'name': 'a', 'mode': 'fast', 'legacy': 1}}", REJECT_ALL,
                "Deprecated parameter legacy disabled by policy");
        assertError("demo-add", "{'item': {'name': 'a', 'mode': 'old'}}", REJECT_ALL,
                "Deprecated value old disabled by policy");
        assertError("demo-old", "{'arg': 'x'}", REJECT_ALL, "Unstable parameter arg disabled by policy");
        run("demo-add", "{'item': {'name': 'a', 'mode': 'old', 'legacy': 1}}");
        assertThat(demo.calls).containsExactly("demoAdd");
    }

    @Test
    void outputPolicyHidesDeprecatedMembers() {
        demo.results.put("demoAdd", TestJson.parse("{'name': 'a', 'mode': 'fast', 'legacy': 5}"));
        String args = "{'item': " + ITEM + "}";
        assertThat(run("demo-add", args)).isEqualTo(TestJson.parse("{'name': 'a', 'mode': 'fast', 'legacy': 5}"));
        assertThat(run("demo-add", args, REJECT_ALL)).isEqualTo(TestJson.parse(ITEM));
    }

    @Test
    void tableCarriesFlagsAndFeatures() {
        assertThat(table.all()).extracting(d -> d.name()).containsExactly("demo-add", "demo-shape", "demo-count",
                "demo-old", "demo-ping", "query-qmp-schema");
        assertThat(table.lookup("demo-count").allowOob()).isTrue();
        assertThat(table.lookup("demo-count").allowPreconfig()).isTrue();
        assertThat(table.lookup("demo-old").features()).containsExactly("deprecated");
        assertThat(table.lookup("query-qmp-schema").allowPreconfig()).isTrue();
    }

    @Test
    void queryQmpSchemaIsServedFromTheGeneratedData() {
        JsonArray schema = (JsonArray) run("query-qmp-schema", "{}");
        JsonObject old = schema.elements().stream().map(JsonObject.class::cast)
                .filter(e -> e.get("name").equals(new org.jqmp.json.JsonString("demo-old"))).findFirst().orElseThrow();
        assertThat(old.get("meta-type")).isEqualTo(new org.jqmp.json.JsonString("command"));
        assertThat(old.get("features")).isEqualTo(TestJson.parse("['deprecated']"));
        assertThat(((org.jqmp.json.JsonString) old.get("arg-type")).value()).matches("[0-9]+");
        JsonArray hidden = (JsonArray) run("query-qmp-schema", "{}", REJECT_ALL);
        assertThat(hidden.elements()).noneMatch(e -> e.toString().contains("demo-old"));
        assertThat(hidden.size()).isLessThan(schema.size());
        assertError("query-qmp-schema", "{'x': 1}", "Parameter 'x' is unexpected");
    }

    @Test
    void eventsCarryTypedDataUnderTheOutputPolicy() throws ReflectiveOperationException {
        List<String> sent = new ArrayList<>();
        EventSink sink = (name, data, features) -> sent.add(name + " " + data + " " + features);
        Class<?> events = demo.type("DemoSubEvents");
        Object emitter = events.getConstructor(EventSink.class, CompatPolicy.class)
                .newInstance(sink, CompatPolicy.ACCEPT_ALL);
        events.getMethod("demoStop").invoke(emitter);
        events.getMethod("demoOld").invoke(emitter);
        Object hiding = events.getConstructor(EventSink.class, CompatPolicy.class).newInstance(sink, REJECT_ALL);
        events.getMethod("demoOld").invoke(hiding);
        assertThat(sent).containsExactly("DEMO_STOP null []", "DEMO_OLD null [unstable]");

        sent.clear();
        Class<?> main = demo.type("DemoEvents");
        Object item = demo.fromJson(demo.type("Item"), TestJson.parse("{'name': 'a', 'mode': 'fast', 'legacy': 1}"));
        main.getMethod("demoDone", demo.type("Item"), demo.type("Mode"))
                .invoke(main.getConstructor(EventSink.class, CompatPolicy.class).newInstance(sink, REJECT_ALL),
                        item, null);
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst()).startsWith("DEMO_DONE ").contains("name").doesNotContain("legacy")
                .endsWith(" []");
    }
}
