package org.jqmp.qapi.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.jqmp.qapi.model.Event;
import org.jqmp.qapi.model.Member;
import org.jqmp.qapi.model.ObjectType;

/**
 * Per schema module, the event emitters: QEMU's {@code qapi_event_send_<event>}. Each method builds the data
 * under the output policy (hidden members left out; an event hidden as a whole is not sent) and hands it to
 * the {@code EventSink} with the event's special features.
 */
final class EventGenerator {
    private final TypeMapping types;

    EventGenerator(TypeMapping types) {
        this.types = types;
    }

    TypeSpec emitters(ClassName name, String module, List<Event> events) {
        TypeSpec.Builder spec = TypeSpec.classBuilder(name).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("The events of schema module {@code $L}.\n", module)
                .addField(FieldSpec.builder(Runtime.EVENT_SINK, "sink", Modifier.PRIVATE, Modifier.FINAL).build())
                .addField(FieldSpec.builder(Runtime.POLICY, "policy", Modifier.PRIVATE, Modifier.FINAL).build())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                        .addJavadoc("@param sink where events go (the monitor)\n"
                                + "@param policy the {@code -compat} policy, whose output part applies\n")
                        .addParameter(Runtime.EVENT_SINK, "sink").addParameter(Runtime.POLICY, "policy")
                        .addStatement("this.sink = sink").addStatement("this.policy = policy").build());
        events.forEach(e -> spec.addMethod(emitter(e)));
        return spec.build();
    }

    private MethodSpec emitter(Event e) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(JavaNames.lowerCamel(e.name()))
                .addModifiers(Modifier.PUBLIC).addJavadoc(Javadoc.of(e));
        CodeBlock features = TypeMapping.specialFeatures(e.features());
        if (TypeMapping.hasSpecial(e.features())) {
            m.beginControlFlow("if (policy.hides($L))", features).addStatement("return").endControlFlow();
        }
        CodeBlock data = CodeBlock.of("null");
        if (e.argType().isPresent() && !(e.argType().get().type() instanceof ObjectType o && o.isEmpty())) {
            ClassName argClass = types.className(e.argType().get().name());
            if (e.boxed()) {
                m.addParameter(argClass, "data");
                data = CodeBlock.of("data.toJson(policy)");
            } else {
                List<CodeBlock> args = new ArrayList<>();
                for (Member member : ((ObjectType) e.argType().get().type()).members()) {
                    String field = StructGenerator.field(member);
                    m.addParameter(ParameterSpec.builder(types.of(member.type(), member.optional()), field).build());
                    args.add(CodeBlock.of("$L", field));
                }
                data = CodeBlock.of("new $T($L).toJson(policy)", argClass, CodeBlock.join(args, ", "));
            }
        }
        return m.addStatement("sink.emit($S, $L, $L)", e.name(), data, features).build();
    }
}
