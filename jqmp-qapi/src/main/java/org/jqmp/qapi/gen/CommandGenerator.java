package org.jqmp.qapi.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.jqmp.qapi.model.Command;
import org.jqmp.qapi.model.Member;
import org.jqmp.qapi.model.ObjectType;

/**
 * Per schema module: the handler interface (one method per command, typed arguments and result, plus the
 * {@link org.jqmp.qapi.gen.Runtime#CONTEXT command context}) and the marshallers, QEMU's
 * {@code qmp_marshal_<command>}: read the arguments in schema order (all checks before the handler runs),
 * call the handler, convert the result under the output policy.
 */
final class CommandGenerator {
    /** Served from the generated introspection data, not by a handler. */
    static final String QUERY_QMP_SCHEMA = "query-qmp-schema";

    private final TypeMapping types;

    CommandGenerator(TypeMapping types) {
        this.types = types;
    }

    static boolean hasHandler(Command c) {
        return c.gen() && !c.name().equals(QUERY_QMP_SCHEMA);
    }

    TypeSpec handlerInterface(ClassName name, String module, List<Command> commands) {
        TypeSpec.Builder spec = TypeSpec.interfaceBuilder(name).addModifiers(Modifier.PUBLIC)
                .addJavadoc("The commands of schema module {@code $L}, implemented by the machine or the monitor; "
                        + "registered with {@code $L}.\n", module, "QmpCommandTable");
        for (Command c : commands) {
            MethodSpec.Builder m = MethodSpec.methodBuilder(JavaNames.lowerCamel(c.name()))
                    .addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT).addJavadoc(Javadoc.of(c))
                    .returns(returnType(c));
            parameters(c).forEach(p -> m.addParameter(p));
            m.addParameter(Runtime.CONTEXT, contextName(c));
            m.addException(ClassName.get(Runtime.RT, "QmpException"));
            spec.addMethod(m.build());
        }
        return spec.build();
    }

    private TypeName returnType(Command c) {
        return c.returnType().map(types::mandatory).orElse(TypeName.VOID);
    }

    private List<ParameterSpec> parameters(Command c) {
        return parameters(types, c);
    }

    /** A command's typed arguments as Java parameters: the boxed record, or one parameter per member. */
    static List<ParameterSpec> parameters(TypeMapping types, Command c) {
        List<ParameterSpec> params = new ArrayList<>();
        c.argType().ifPresent(arg -> {
            if (c.boxed()) {
                params.add(ParameterSpec.builder(types.className(arg.name()), "arguments").build());
            } else {
                for (Member m : ((ObjectType) arg.type()).members()) {
                    params.add(ParameterSpec.builder(types.of(m.type(), m.optional()), StructGenerator.field(m))
                            .build());
                }
            }
        });
        return params;
    }

    private String contextName(Command c) {
        return parameters(c).stream().anyMatch(p -> p.name().equals("context")) ? "context_" : "context";
    }

    TypeSpec marshallers(ClassName name, ClassName handler, String module, List<Command> commands) {
        TypeSpec.Builder spec = TypeSpec.classBuilder(name).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("The marshallers of schema module {@code $L}: QEMU's {@code qmp_marshal_<command>}.\n",
                        module)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        for (Command c : commands) {
            spec.addMethod(marshaller(handler, c));
        }
        return spec.build();
    }

    private MethodSpec marshaller(ClassName handler, Command c) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(JavaNames.lowerCamel(c.name()))
                .addJavadoc("{@code qmp_marshal_$L}: checks the arguments, runs {@code $L}, converts the result.\n",
                        c.name().replace('-', '_'), c.name())
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(Runtime.JSON_VALUE)
                .addParameter(handler, "handler")
                .addParameter(Runtime.JSON_OBJECT, "arguments")
                .addParameter(Runtime.CONTEXT, "context")
                .addStatement("$T in = new $T(arguments, context.compatPolicy())", Runtime.INPUT, Runtime.INPUT)
                .addStatement("in.startStruct(null)");
        List<CodeBlock> args = new ArrayList<>();
        c.argType().ifPresent(arg -> {
            ClassName argClass = types.className(arg.name());
            m.addStatement("$T args = $T.readMembers(in)", argClass, argClass);
            if (c.boxed()) {
                args.add(CodeBlock.of("args"));
            } else {
                ((ObjectType) arg.type()).members()
                        .forEach(member -> args.add(CodeBlock.of("args.$L()", StructGenerator.field(member))));
            }
        });
        m.addStatement("in.checkStruct()").addStatement("in.endStruct()");
        args.add(CodeBlock.of("context"));
        CodeBlock call = CodeBlock.of("handler.$L($L)", JavaNames.lowerCamel(c.name()), CodeBlock.join(args, ", "));
        if (c.returnType().isEmpty()) {
            return m.addStatement("$L", call).addStatement("return null").build();
        }
        TypeName ret = returnType(c);
        m.addStatement("$T result = $L", ret, call);
        if (!ret.isPrimitive()) {
            m.addStatement("$T.requireNonNull(result, $S)", Runtime.OBJECTS,
                    "the handler of " + c.name() + " returned null");
        }
        CodeBlock write = types.write(c.returnType().get(), CodeBlock.of("result"), 0);
        if (TypeMapping.writeUsesPolicy(c.returnType().get())) {
            m.addStatement("$T policy = context.compatPolicy()", Runtime.POLICY);
        }
        return m.addStatement("return $L", write).build();
    }

    /** {@code new CommandDefinition("x", oob, preconfig, success, features, (a, c) -> M.x(handler, a, c))}. */
    static CodeBlock definition(Command c, CodeBlock handler) {
        return CodeBlock.of("new $T($S, $L, $L, $L, $L, $L)", Runtime.DEFINITION, c.name(), c.allowOob(),
                c.allowPreconfig(), c.successResponse(), TypeMapping.specialFeatures(c.features()), handler);
    }
}
