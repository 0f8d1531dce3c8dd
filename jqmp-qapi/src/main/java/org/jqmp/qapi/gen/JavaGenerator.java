package org.jqmp.qapi.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jqmp.qapi.model.AlternateType;
import org.jqmp.qapi.model.Command;
import org.jqmp.qapi.model.Definition;
import org.jqmp.qapi.model.EnumType;
import org.jqmp.qapi.model.Event;
import org.jqmp.qapi.model.Module;
import org.jqmp.qapi.model.ObjectType;
import org.jqmp.qapi.model.Schema;

/**
 * Generates the Java bindings of a checked schema, all in one package:
 * <ul>
 * <li>a type per named (and implicit argument) type: records for structs, enums, sealed interfaces for unions
 *     and alternates ({@link TypeMapping} says how values map);</li>
 * <li>per schema module with commands: {@code <Module>Commands}, the handler interface, and
 *     {@code <Module>Marshallers}, QEMU's {@code qmp_marshal_<command>}s;</li>
 * <li>per schema module with events: {@code <Module>Events}, the emitters;</li>
 * <li>per schema module with commands: {@code <Module>Client}, the typed calls of a client
 *     ({@link ClientGenerator});</li>
 * <li>{@code QmpCommandTable}, the registration table, and {@code SchemaIntrospection}, the
 *     {@code query-qmp-schema} data for the build that {@code defined} describes.</li>
 * </ul>
 * Conditions ({@code 'if'}) only affect the introspection data; everything else is generated unconditionally.
 */
public final class JavaGenerator {
    private final String packageName;
    private final Predicate<String> defined;

    /**
     * @param packageName the package of every generated class
     * @param defined     which configuration symbols the introspection data assumes are set
     */
    public JavaGenerator(String packageName, Predicate<String> defined) {
        this.packageName = packageName;
        this.defined = defined;
    }

    /**
     * The simple name of the class generated for each type that gets one (enums, structs, unions, alternates,
     * implicit argument types), by QAPI name, in definition order: for tools and tests that go from the schema
     * model to the generated classes.
     */
    public static Map<String, String> classNames(Schema schema) {
        JavaNames names = new JavaNames(schema);
        Map<String, String> classes = new LinkedHashMap<>();
        for (Definition d : schema.definitions()) {
            if (hasClass(d)) {
                classes.put(d.name(), names.type(d.name()));
            }
        }
        return classes;
    }

    private static boolean hasClass(Definition d) {
        return switch (d) {
            case EnumType e -> !e.isImplicit() || e.name().equals("QType");
            case ObjectType o -> !o.name().equals(ObjectType.EMPTY) && !o.name().endsWith("-base");
            case AlternateType a -> true;
            default -> false;
        };
    }

    /** Every generated file, in order: type classes by definition, then per module, then the two tables. */
    public List<GeneratedFile> generate(Schema schema) {
        return plan(schema).parallelStream().map(spec -> file(spec.get())).toList();
    }

    /**
     * Renders every file and hands each to {@code sink} as soon as it is rendered, from more than one thread and
     * in no particular order; returns how many there were. The same files as {@link #generate(Schema)}, but no
     * file (nor its JavaPoet model) outlives its hand-over: a cold {@code jqmp qapi gen} of QEMU's schema kept
     * tens of megabytes of them alive, which every young collection copied (docs/benchmarks.md, "QAPI
     * compiler").
     */
    public int generate(Schema schema, Consumer<GeneratedFile> sink) {
        List<Supplier<TypeSpec>> plan = plan(schema);
        // the two largest classes (introspection data, command table) are planned last; started first, they
        // do not leave one thread alone with them at the end
        Collections.reverse(plan);
        plan.parallelStream().map(spec -> file(spec.get())).forEach(sink);
        return plan.size();
    }

    /** The directory, under the output directory, of every generated file. */
    public String directory() {
        return packageName.replace('.', '/');
    }

    /**
     * One supplier per generated class, in output order. Names are all taken here, in this order (JavaNames);
     * the classes themselves are independent of each other, so the suppliers may run in any order, at once.
     */
    private List<Supplier<TypeSpec>> plan(Schema schema) {
        JavaNames names = new JavaNames(schema);
        TypeMapping types = new TypeMapping(packageName, names);
        StructGenerator structs = new StructGenerator(types);
        List<Supplier<TypeSpec>> plan = new ArrayList<>();
        for (Definition d : schema.definitions()) {
            if (hasClass(d)) {
                plan.add(() -> typeSpec(d, types, structs));
            }
        }
        List<TableGenerator.ModuleCommands> tables = new ArrayList<>();
        for (Module m : schema.modules()) {
            moduleClasses(m, names, types, plan, tables);
        }
        Optional<Command> schemaQuery = schema.command(CommandGenerator.QUERY_QMP_SCHEMA);
        ClassName introspection = ClassName.get(packageName, names.reserve("SchemaIntrospection"));
        plan.add(() -> new IntrospectionGenerator().generate(introspection, Introspection.build(schema, defined),
                schemaQuery));
        ClassName table = ClassName.get(packageName, names.reserve("QmpCommandTable"));
        plan.add(() -> new TableGenerator().generate(table, tables, schemaQuery.isPresent(), introspection));
        return plan;
    }

    private static TypeSpec typeSpec(Definition d, TypeMapping types, StructGenerator structs) {
        return switch (d) {
            case EnumType e -> new EnumGenerator(types).generate(e);
            case ObjectType o when o.branches().isPresent() -> new UnionGenerator(types, structs).generate(o);
            case ObjectType o -> structs.generate(o);
            case AlternateType a -> new AlternateGenerator(types).generate(a);
            default -> throw new IllegalArgumentException("no class for " + d.describe());
        };
    }

    private void moduleClasses(Module m, JavaNames names, TypeMapping types, List<Supplier<TypeSpec>> plan,
                               List<TableGenerator.ModuleCommands> tables) {
        String stem = JavaNames.moduleStem(m.name());
        List<Command> commands = m.definitions().stream().filter(Command.class::isInstance)
                .map(Command.class::cast).filter(CommandGenerator::hasHandler).toList();
        List<Event> events = m.definitions().stream().filter(Event.class::isInstance).map(Event.class::cast)
                .toList();
        if (!commands.isEmpty()) {
            ClassName handler = ClassName.get(packageName, names.reserve(stem + "Commands"));
            ClassName marshallers = ClassName.get(packageName, names.reserve(stem + "Marshallers"));
            CommandGenerator gen = new CommandGenerator(types);
            plan.add(() -> gen.handlerInterface(handler, m.name(), commands));
            plan.add(() -> gen.marshallers(marshallers, handler, m.name(), commands));
            tables.add(new TableGenerator.ModuleCommands(stem, handler, marshallers, commands));
        }
        List<Command> callable = m.definitions().stream().filter(Command.class::isInstance)
                .map(Command.class::cast).toList();
        if (!callable.isEmpty()) {
            ClassName client = ClassName.get(packageName, names.reserve(stem + "Client"));
            plan.add(() -> new ClientGenerator(types).facade(client, m.name(), callable));
        }
        if (!events.isEmpty()) {
            ClassName emitters = ClassName.get(packageName, names.reserve(stem + "Events"));
            plan.add(() -> new EventGenerator(types).emitters(emitters, m.name(), events));
        }
    }

    private GeneratedFile file(TypeSpec spec) {
        JavaFile file = JavaFile.builder(packageName, spec)
                .addFileComment("Generated by jqmp-qapi from the QAPI schema. Do not edit.")
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
        return new GeneratedFile(directory() + "/" + spec.name() + ".java", file.toString());
    }
}
