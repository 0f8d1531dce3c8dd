package org.jqmp.api.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.jqmp.api.runtime.CommandContext;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.ErrorClass;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonValue;
import org.jqmp.qapi.DocRules;
import org.jqmp.qapi.QapiCompiler;
import org.jqmp.qapi.QapiLimits;
import org.jqmp.qapi.model.Command;
import org.jqmp.qapi.model.Member;
import org.jqmp.qapi.model.ObjectType;
import org.jqmp.qapi.model.Schema;
import org.jqmp.qapi.model.SchemaType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the generated Java, checked with seeded random values for every type and command of four
 * schemas: jqmp-qapi's demo schema, {@code props/props.json} (the shapes the demo leaves out), jqmp's own
 * schema (the classes of this module) and QEMU 7.2's.
 * <ul>
 * <li>every generated type: a random value decoded from JSON, encoded, decoded again is the same value, and its
 *     encoding is the JSON it came from;</li>
 * <li>every command: random valid arguments reach the handler once, typed, and encode back to themselves; a
 *     random result from the handler comes out of the marshaller as the JSON it was made from;</li>
 * <li>every command: one random change that makes valid arguments invalid (a mandatory member removed, an
 *     undeclared member added, a value of the wrong JSON kind, an integer out of range, an unknown enum value,
 *     at any depth) gives a GenericError with QEMU's text, and the handler never runs.</li>
 * </ul>
 * The seed is {@code -Djqmp.property.seed=N} (default fixed); each failure message carries it, the schema,
 * the type or command and the JSON, so a failure replays.
 */
class GeneratedTypePropertyTest {
    private static final long SEED = Long.getLong("jqmp.property.seed", 0x5EED_2026L);
    private static final int VALUES_PER_TYPE = 25;
    private static final int TRIALS_PER_COMMAND = 40;
    private static final Path DEMO = Path.of("../jqmp-qapi/src/test/resources/gen/demo.json");
    private static final Path PROPS = Path.of("src/test/resources/props/props.json");
    private static final Path OWN = Path.of("../schema/qapi-schema.json");
    private static final Path QEMU_72 = Path.of("../../shared/fixtures/qapi/qemu-7.2/qapi-schema.json");
    private static final Map<String, Api> APIS = new LinkedHashMap<>();

    @TempDir
    static Path work;

    record Context(CompatPolicy compatPolicy, boolean outOfBand) implements CommandContext {
    }

    /** The generated classes of one schema and its command table, every handler a recording one. */
    record Api(String name, GeneratedTypes types, CommandTable table, RecordingHandlers handlers) {
    }

    /** Handlers that record each call's arguments and answer with {@link #nextResult}. */
    static final class RecordingHandlers {
        final List<Object[]> calls = new ArrayList<>();
        Object nextResult;

        CommandTable table(Class<?> commandTable) {
            Method build = Arrays.stream(commandTable.getMethods()).filter(m -> m.getName().equals("build"))
                    .findFirst().orElseThrow();
            Object[] handlers = Arrays.stream(build.getParameterTypes()).map(this::handler).toArray();
            return (CommandTable) GeneratedTypes.call(build, null, handlers);
        }

        private Object handler(Class<?> iface) {
            return Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[]{iface}, (proxy, method, args) ->
                    switch (method.getName()) {
                        case "toString" -> "recording " + iface.getSimpleName();
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> {
                            calls.add(Arrays.copyOf(args, args.length - 1)); // the last is the context
                            yield nextResult;
                        }
                    });
        }
    }

    static Stream<String> schemas() {
        return Stream.of("demo", "props", "jqmp", "qemu-7.2");
    }

    private static synchronized Api api(String name) throws Exception {
        Api api = APIS.get(name);
        if (api == null) {
            api = switch (name) {
                case "demo" -> compiled(name, QapiCompiler.check(DEMO));
                case "props" -> compiled(name, QapiCompiler.check(PROPS));
                case "jqmp" -> loaded(name, QapiCompiler.check(OWN), "org.jqmp.api",
                        GeneratedTypePropertyTest.class.getClassLoader());
                default -> {
                    assumeTrue(Files.exists(QEMU_72), "QEMU 7.2's schema " + QEMU_72.toAbsolutePath().normalize()
                            + " is absent; skipping");
                    yield compiled(name, new QapiCompiler(DocRules.LEGACY, QapiLimits.DEFAULT).compile(QEMU_72));
                }
            };
            APIS.put(name, api);
        }
        return api;
    }

    private static Api compiled(String name, Schema schema) throws Exception {
        String pkg = "org.jqmp.property." + name.replaceAll("[^a-z0-9]", "");
        CompiledSchema compiled = CompiledSchema.compile(schema, pkg, work.resolve(name));
        return loaded(name, schema, pkg, compiled.loader);
    }

    private static Api loaded(String name, Schema schema, String pkg, ClassLoader loader) {
        GeneratedTypes types = new GeneratedTypes(schema, pkg, loader);
        RecordingHandlers handlers = new RecordingHandlers();
        return new Api(name, types, handlers.table(types.load(pkg + ".QmpCommandTable")), handlers);
    }

    private static Random random(String schema, String subject) {
        return new Random(SEED * 31 + (schema + "/" + subject).hashCode());
    }

    private static String replay(Api api, String subject) {
        return "seed " + SEED + ", schema " + api.name() + ", " + subject;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemas")
    void everyGeneratedTypeRoundTrips(String name) throws Exception {
        Api api = api(name);
        int checked = 0;
        for (String typeName : api.types().typeNames()) {
            SchemaType type = api.types().schema.type(typeName).orElseThrow();
            RandomJson values = new RandomJson(random(name, typeName));
            for (int i = 0; i < VALUES_PER_TYPE; i++) {
                JsonValue json = values.value(type, 0);
                String context = replay(api, "type " + typeName + ", value " + json);
                Object value = api.types().read(type, json);
                JsonValue encoded = api.types().write(type, value);
                assertThat(encoded).as(context).isEqualTo(json);
                Object decoded = api.types().read(type, encoded);
                assertThat(decoded).as(context).isEqualTo(value).hasSameHashCodeAs(value);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(VALUES_PER_TYPE * 10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemas")
    void validArgumentsReachTheHandlerAndResultsComeBack(String name) throws Exception {
        Api api = api(name);
        for (Command command : commands(api)) {
            RandomJson values = new RandomJson(random(name, command.name()));
            for (int i = 0; i < 5; i++) {
                JsonObject arguments = values.object(argumentType(api, command), 0);
                JsonValue result = command.returnType().map(t -> values.value(t.type(), 0)).orElse(null);
                String context = replay(api, "command " + command.name() + ", arguments " + arguments
                        + ", result " + result);
                api.handlers().calls.clear();
                api.handlers().nextResult = result == null ? null : api.types().read(command.returnType()
                        .orElseThrow().type(), result);
                JsonValue reply = api.table().lookup(command.name()).handler().execute(arguments,
                        new Context(CompatPolicy.ACCEPT_ALL, false));
                assertThat(api.handlers().calls).as(context).hasSize(1);
                assertThat(reencode(api, command, api.handlers().calls.getFirst())).as(context).isEqualTo(arguments);
                assertThat(reply).as(context).isEqualTo(result);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemas")
    void invalidArgumentsNeverReachTheHandler(String name) throws Exception {
        Api api = api(name);
        Map<ArgumentMutation.Kind, Integer> kinds = new EnumMap<>(ArgumentMutation.Kind.class);
        int nested = 0;
        List<Command> commands = api.table().all().stream().map(d -> api.types().schema.command(d.name())
                .orElseThrow()).toList();
        for (Command command : commands) {
            Random random = random(name, "invalid " + command.name());
            RandomJson values = new RandomJson(random);
            for (int i = 0; i < TRIALS_PER_COMMAND; i++) {
                ObjectType argType = argumentType(api, command);
                ArgumentMutation mutation = ArgumentMutation.of(values.object(argType, 0), argType, random);
                assertRejected(api, command, mutation);
                kinds.merge(mutation.kind(), 1, Integer::sum);
                nested += mutation.path().matches(".*[.\\[].*") ? 1 : 0;
            }
        }
        if (!name.equals("jqmp")) { // jqmp's own commands take no integers yet
            assertThat(kinds.keySet()).as("mutations tried: " + kinds).containsAll(
                    List.of(ArgumentMutation.Kind.values()));
        }
        assertThat(nested).as("mutations below the top level").isPositive();
    }

    private static void assertRejected(Api api, Command command, ArgumentMutation mutation) {
        String context = replay(api, "command " + command.name() + ", " + mutation.kind() + " at '"
                + mutation.path() + "', arguments " + mutation.invalid());
        api.handlers().calls.clear();
        Throwable thrown = catchThrowable(() -> api.table().lookup(command.name()).handler()
                .execute(mutation.invalid(), new Context(CompatPolicy.ACCEPT_ALL, false)));
        assertThat(thrown).as(context).isInstanceOf(QmpException.class);
        QmpException error = (QmpException) thrown;
        assertThat(error.error().errorClass()).as(context).isEqualTo(ErrorClass.GenericError);
        assertThat(error.getMessage()).as(context).matches(ArgumentMutation.ERROR_FORM);
        mutation.expected().ifPresent(text -> assertThat(error.getMessage()).as(context).isEqualTo(text));
        assertThat(api.handlers().calls).as(context + ": the handler must not run").isEmpty();
    }

    /** The commands with a generated marshaller that calls a handler (query-qmp-schema answers by itself). */
    private static List<Command> commands(Api api) {
        return api.table().all().stream().map(d -> api.types().schema.command(d.name()).orElseThrow())
                .filter(c -> !c.name().equals("query-qmp-schema")).toList();
    }

    private static ObjectType argumentType(Api api, Command command) {
        return (ObjectType) command.argType().map(t -> t.type())
                .orElseGet(() -> api.types().schema.type(ObjectType.EMPTY).orElseThrow());
    }

    /** The arguments a handler received, back on the wire: boxed as one value, else one per member. */
    private static JsonObject reencode(Api api, Command command, Object[] received) {
        ObjectType argType = argumentType(api, command);
        if (command.boxed()) {
            return (JsonObject) api.types().write(argType, received[0]);
        }
        JsonObject.Builder out = JsonObject.builder();
        List<Member> members = argType.members();
        assertThat(received).as("handler parameters of " + command.name()).hasSize(members.size());
        for (int i = 0; i < members.size(); i++) {
            if (received[i] != null) {
                out.put(members.get(i).name(), api.types().write(members.get(i).type().type(), received[i]));
            }
        }
        return out.build();
    }
}
