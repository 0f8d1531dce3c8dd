package org.jqmp.qapi.gen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.jqmp.qapi.model.Member;
import org.jqmp.qapi.model.ObjectType;

/**
 * A struct as a record: one component per member (base members first), mandatory ones checked non-null, lists
 * copied; {@code read}/{@code readMembers} visit the members in schema order as QEMU's
 * {@code visit_type_Foo_members} does, {@code toJson}/{@code writeMembers} write them, leaving out absent
 * optional members and members the output policy hides.
 */
final class StructGenerator {
    private final TypeMapping types;

    StructGenerator(TypeMapping types) {
        this.types = types;
    }

    TypeSpec generate(ObjectType struct) {
        TypeSpec.Builder record = TypeSpec.recordBuilder(types.className(struct.name()))
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc(Javadoc.of(struct));
        MethodSpec.Builder ctor = MethodSpec.compactConstructorBuilder().addModifiers(Modifier.PUBLIC);
        for (Member m : struct.members()) {
            String field = field(m);
            ctor.addParameter(ParameterSpec.builder(types.of(m.type(), m.optional()), field).build());
            Javadoc.member(struct, m.name()).ifPresent(doc -> record.addJavadoc("@param $L $L\n", field, doc));
            addCheck(ctor, m, field);
        }
        record.recordConstructor(ctor.build());
        record.addMethod(readMethod(types.className(struct.name())));
        record.addMethod(readMembers(struct));
        record.addMethod(toJson());
        record.addMethod(writeMembers(struct.members(), "this."));
        return record.build();
    }

    static String field(Member m) {
        return JavaNames.lowerCamel(m.name());
    }

    private void addCheck(MethodSpec.Builder ctor, Member m, String field) {
        TypeName t = types.of(m.type(), m.optional());
        // from the type's structure: toString() would emit the type name through JavaPoet's writer once more
        boolean isList = t instanceof ParameterizedTypeName p && p.rawType().equals(Runtime.LIST);
        if (isList) {
            ctor.addStatement(m.optional() ? "$L = $L == null ? null : $T.copyOf($L)" : "$L = $T.copyOf($L)",
                    m.optional() ? new Object[]{field, field, Runtime.LIST, field}
                            : new Object[]{field, Runtime.LIST, field});
        } else if (!m.optional() && !t.isPrimitive()) {
            ctor.addStatement("$T.requireNonNull($L, $S)", Runtime.OBJECTS, field, m.name());
        }
    }

    static MethodSpec readMethod(com.palantir.javapoet.ClassName self) {
        return MethodSpec.methodBuilder("read")
                .addJavadoc("Reads the member {@code name} of the current object (null: the next list element "
                        + "or the root), checking for unexpected members.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(self)
                .addParameter(Runtime.INPUT, "in")
                .addParameter(String.class, "name")
                .addStatement("in.startStruct(name)")
                .addStatement("$T value = readMembers(in)", self)
                .addStatement("in.checkStruct()")
                .addStatement("in.endStruct()")
                .addStatement("return value")
                .build();
    }

    private MethodSpec readMembers(ObjectType struct) {
        CodeBlock args = struct.members().stream().map(this::readMember).collect(CodeBlock.joining(",\n"));
        return MethodSpec.methodBuilder("readMembers")
                .addJavadoc("Reads the members from the current object, in schema order.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(types.className(struct.name()))
                .addParameter(Runtime.INPUT, "in")
                .addCode(struct.members().isEmpty() ? CodeBlock.of("return new $T();\n",
                        types.className(struct.name()))
                        : CodeBlock.of("return new $T(\n$>$>$L$<$<);\n", types.className(struct.name()), args))
                .build();
    }

    /** One member, as QEMU's generated visitor: optional presence, then the input policy, then the value. */
    CodeBlock readMember(Member m) {
        CodeBlock in = TypeMapping.hasSpecial(m.features())
                ? CodeBlock.of("in.policyReject($S, $L)", m.name(), TypeMapping.specialFeatures(m.features()))
                : CodeBlock.of("in");
        CodeBlock value = types.read(m.type(), m.name(), in);
        return m.optional() ? CodeBlock.of("in.optional($S) ? $L : null", m.name(), value) : value;
    }

    static MethodSpec toJson() {
        return MethodSpec.methodBuilder("toJson")
                .addJavadoc("This value on the wire, with the members {@code policy} hides left out.\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(Runtime.JSON_OBJECT)
                .addParameter(Runtime.POLICY, "policy")
                .addStatement("$T out = $T.builder()", Runtime.JSON_OBJECT_BUILDER, Runtime.JSON_OBJECT)
                .addStatement("writeMembers(out, policy)")
                .addStatement("return out.build()")
                .build();
    }

    /** writeMembers over {@code members}, each read from {@code prefix + field}. */
    MethodSpec writeMembers(List<Member> members, String prefix) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("writeMembers")
                .addJavadoc("Puts the members into {@code out}, in schema order.\n")
                .addModifiers(Modifier.PUBLIC)
                .addParameter(Runtime.JSON_OBJECT_BUILDER, "out")
                .addParameter(Runtime.POLICY, "policy");
        members.forEach(member -> m.addCode(writeMember(member, prefix + field(member))));
        return m.build();
    }

    CodeBlock writeMember(Member m, String access) {
        CodeBlock put = CodeBlock.of("out.put($S, $L);\n", m.name(), types.write(m.type(), CodeBlock.of(access), 0));
        CodeBlock.Builder condition = CodeBlock.builder();
        if (m.optional()) {
            condition.add("$L != null", access);
        }
        if (TypeMapping.hasSpecial(m.features())) {
            condition.add(m.optional() ? " && " : "").add("!policy.hides($L)", TypeMapping.specialFeatures(m.features()));
        }
        if (condition.isEmpty()) {
            return put;
        }
        return CodeBlock.builder().beginControlFlow("if ($L)", condition.build()).add(put).endControlFlow().build();
    }
}
