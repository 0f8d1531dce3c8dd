package org.jqmp.qapi.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.jqmp.qapi.model.Command;

/**
 * The registration table: QEMU's {@code qmp_init_marshal}. One {@code register<Module>} per module with
 * commands, and {@code build(...)} taking every module's handler; {@code query-qmp-schema}, when the schema
 * has it, is served from the generated introspection data.
 */
final class TableGenerator {

    /** A module with commands: its stem, handler interface and marshallers class. */
    record ModuleCommands(String stem, ClassName handler, ClassName marshallers, List<Command> commands) {
    }

    TypeSpec generate(ClassName name, List<ModuleCommands> modules, boolean introspection,
                      ClassName introspectionClass) {
        TypeSpec.Builder spec = TypeSpec.classBuilder(name).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("Every command of the schema with its flags and special features, bound to handler "
                        + "implementations: QEMU's {@code qmp_init_marshal}.\n")
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        MethodSpec.Builder build = MethodSpec.methodBuilder("build").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("The table of every command, in schema order of modules.\n")
                .returns(Runtime.TABLE)
                .addStatement("$T table = $T.builder()", Runtime.TABLE.nestedClass("Builder"), Runtime.TABLE);
        for (ModuleCommands m : modules) {
            String param = JavaNames.lowerCamel(m.stem());
            build.addParameter(m.handler(), param).addStatement("register$L(table, $L)", m.stem(), param);
            spec.addMethod(register(m));
        }
        if (introspection) {
            build.addStatement("registerIntrospection(table)");
            spec.addMethod(MethodSpec.methodBuilder("registerIntrospection")
                    .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                    .addJavadoc("Registers {@code query-qmp-schema}, answered from the generated data.\n")
                    .returns(Runtime.TABLE.nestedClass("Builder"))
                    .addParameter(Runtime.TABLE.nestedClass("Builder"), "table")
                    .addStatement("table.register($T.definition())", introspectionClass)
                    .addStatement("return table").build());
        }
        return spec.addMethod(build.addStatement("return table.build()").build()).build();
    }

    private static MethodSpec register(ModuleCommands m) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("register" + m.stem())
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("Registers the commands of this module, run by {@code handler}.\n")
                .returns(Runtime.TABLE.nestedClass("Builder"))
                .addParameter(Runtime.TABLE.nestedClass("Builder"), "table")
                .addParameter(m.handler(), "handler");
        for (Command c : m.commands()) {
            CodeBlock call = CodeBlock.of("(arguments, context) -> $T.$L(handler, arguments, context)",
                    m.marshallers(), JavaNames.lowerCamel(c.name()));
            method.addStatement("table.register($L)", CommandGenerator.definition(c, call));
        }
        return method.addStatement("return table").build();
    }

}
