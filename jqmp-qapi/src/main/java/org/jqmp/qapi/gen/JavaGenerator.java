package org.jqmp.qapi.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
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

    public List<GeneratedFile> generate(Schema schema) {
        JavaNames names = new JavaNames(schema);
        TypeMapping types = new TypeMapping(packageName, names);
        StructGenerator structs = new StructGenerator(types);
        // The type classes are independent of each other, and so is the emission of each file: both run in
        // parallel (ordered streams keep the output order). Names were all taken before, in JavaNames.
        List<TypeSpec> specs = new ArrayList<>(schema.definitions().parallelStream().filter(JavaGenerator::hasClass)
                .map(d -> typeSpec(d, types, structs)).toList());
        List<TableGenerator.ModuleCommands> tables = new ArrayList<>();
        for (Module m : schema.modules()) {
            moduleClasses(m, names, types, specs, tables);
        }
        Optional<Command> schemaQuery = schema.command(CommandGenerator.QUERY_QMP_SCHEMA);
        ClassName introspection = ClassName.get(packageName, names.reserve("SchemaIntrospection"));
        specs.add(new IntrospectionGenerator().generate(introspection, Introspection.build(schema, defined),
                schemaQuery));
        specs.add(new TableGenerator().generate(ClassName.get(packageName, names.reserve("QmpCommandTable")),
                tables, schemaQuery.isPresent(), introspection));
        return specs.parallelStream().map(this::file).toList();
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

    private void moduleClasses(Module m, JavaNames names, TypeMapping types, List<TypeSpec> specs,
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
            specs.add(gen.handlerInterface(handler, m.name(), commands));
            specs.add(gen.marshallers(marshallers, handler, m.name(), commands));
            tables.add(new TableGenerator.ModuleCommands(stem, handler, marshallers, commands));
        }
        List<Command> callable = m.definitions().stream().filter(Command.class::isInstance)
                .map(Command.class::cast).toList();
        if (!callable.isEmpty()) {
            specs.add(new ClientGenerator(types).facade(ClassName.get(packageName, names.reserve(stem + "Client")),
                    m.name(), callable));
        }
        if (!events.isEmpty()) {
            specs.add(new EventGenerator(types).emitters(ClassName.get(packageName, names.reserve(stem + "Events")),
                    m.name(), events));
        }
    }

    private GeneratedFile file(TypeSpec spec) {
        JavaFile file = JavaFile.builder(packageName, spec)
                .addFileComment("Generated by jqmp-qapi from the QAPI schema. Do not edit.")
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
        return new GeneratedFile(packageName.replace('.', '/') + "/" + spec.name() + ".java", file.toString());
    }
}
