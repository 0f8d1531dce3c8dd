package org.jqmp.qapi.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.jqmp.qapi.model.Command;
import org.jqmp.qapi.model.ObjectType;

/**
 * Per schema module with commands, the client facade {@code <Module>Client}: one blocking and one
 * {@code *Async} method per command, with the handler interface's typed parameters, sending through the
 * runtime's {@code CommandCaller} (jqmp-client's {@code QmpClient}). Arguments are written with the
 * generated argument records; results are read by the generated readers from a lenient input, so a newer
 * server's extra members and enum values do not fail the call.
 */
final class ClientGenerator {
    static final ClassName CALLER = ClassName.get(Runtime.RT, "CommandCaller");
    private static final ClassName FUTURE = ClassName.get("java.util.concurrent", "CompletableFuture");
    private static final ClassName VOID = ClassName.get(Void.class);

    private final TypeMapping types;

    ClientGenerator(TypeMapping types) {
        this.types = types;
    }

    TypeSpec facade(ClassName name, String module, List<Command> commands) {
        TypeSpec.Builder spec = TypeSpec.classBuilder(name).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("The commands of schema module {@code $L}, for a client: typed calls through a "
                        + "{@code CommandCaller}.\n", module)
                .addField(FieldSpec.builder(CALLER, "caller", Modifier.PRIVATE, Modifier.FINAL).build())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                        .addJavadoc("@param caller where the commands go (a connected {@code QmpClient})\n")
                        .addParameter(CALLER, "caller")
                        .addStatement("this.caller = $T.requireNonNull(caller, $S)", Runtime.OBJECTS, "caller")
                        .build());
        for (Command c : commands) {
            spec.addMethod(call(c, false));
            spec.addMethod(call(c, true));
        }
        return spec.build();
    }

    private MethodSpec call(Command c, boolean async) {
        TypeName result = c.returnType().map(types::optional).orElse(VOID);
        String method = JavaNames.lowerCamel(c.name()) + (async ? "Async" : "");
        MethodSpec.Builder m = MethodSpec.methodBuilder(method).addModifiers(Modifier.PUBLIC)
                .addJavadoc(Javadoc.of(c))
                .returns(async ? ParameterizedTypeName.get(FUTURE, result)
                        : c.returnType().isPresent() ? result : TypeName.VOID);
        CommandGenerator.parameters(types, c).forEach(m::addParameter);
        CodeBlock send = CodeBlock.of("caller.<$T>$L($S, $L, $L)", result, async ? "callAsync" : "call", c.name(),
                arguments(c), reader(c));
        return (async || c.returnType().isPresent() ? m.addStatement("return $L", send) : m.addStatement("$L", send))
                .build();
    }


    /** The arguments as JSON: the argument record written under the accept-all policy (nothing hidden). */
    private CodeBlock arguments(Command c) {
        if (c.argType().isEmpty() || (c.argType().get().type() instanceof ObjectType o && o.isEmpty())) {
            return CodeBlock.of("$T.EMPTY", Runtime.JSON_OBJECT);
        }
        CodeBlock policy = CodeBlock.of("$T.ACCEPT_ALL", Runtime.POLICY);
        if (c.boxed()) {
            return CodeBlock.of("arguments.toJson($L)", policy);
        }
        List<CodeBlock> values = ((ObjectType) c.argType().get().type()).members().stream()
                .map(m -> CodeBlock.of("$L", StructGenerator.field(m))).toList();
        return CodeBlock.of("new $T($L).toJson($L)", types.className(c.argType().get().name()),
                CodeBlock.join(values, ", "), policy);
    }

    private CodeBlock reader(Command c) {
        if (c.returnType().isEmpty()) {
            return CodeBlock.of("null");
        }
        return CodeBlock.of("in -> $L", types.read(c.returnType().get(), null));
    }
}
