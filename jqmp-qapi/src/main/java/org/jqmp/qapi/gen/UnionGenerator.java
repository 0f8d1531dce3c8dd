package org.jqmp.qapi.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.jqmp.qapi.model.Branches;
import org.jqmp.qapi.model.Member;
import org.jqmp.qapi.model.ObjectType;
import org.jqmp.qapi.model.Variant;

/**
 * A union as a sealed interface: accessors for the common members, and one nested record per discriminator
 * value holding the common members (except the discriminator, which the record's class implies) and, unless
 * the branch is empty, the branch's own value as {@code branch}. On the wire the branch members are flattened
 * into the object after the common ones, as QEMU's {@code visit_type_Foo_members} visits them.
 */
final class UnionGenerator {
    private final TypeMapping types;
    private final StructGenerator structs;

    UnionGenerator(TypeMapping types, StructGenerator structs) {
        this.types = types;
        this.structs = structs;
    }

    TypeSpec generate(ObjectType union) {
        ClassName self = types.className(union.name());
        Branches branches = union.branches().orElseThrow();
        Member tag = branches.discriminator();
        TypeSpec.Builder spec = TypeSpec.interfaceBuilder(self).addModifiers(Modifier.PUBLIC, Modifier.SEALED)
                .addJavadoc(Javadoc.of(union));
        for (Member m : union.members()) {
            spec.addMethod(MethodSpec.methodBuilder(StructGenerator.field(m))
                    .addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
                    .returns(types.of(m.type(), m.optional())).build());
        }
        spec.addMethod(MethodSpec.methodBuilder("writeMembers").addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
                .addParameter(Runtime.JSON_OBJECT_BUILDER, "out").addParameter(Runtime.POLICY, "policy").build());
        spec.addMethod(StructGenerator.toJson().toBuilder().addModifiers(Modifier.DEFAULT).build());
        spec.addMethod(StructGenerator.readMethod(self));
        CodeBlock.Builder read = CodeBlock.builder();
        List<Member> common = union.members();
        for (int i = 0; i < common.size(); i++) {
            read.addStatement("var m$L = $L", i, structs.readMember(common.get(i)));
        }
        read.beginControlFlow("return switch (m$L)", indexOf(common, tag));
        for (Variant v : branches.variants()) {
            spec.addType(variantRecord(union, self, tag, v));
            List<CodeBlock> args = new ArrayList<>();
            for (int i = 0; i < common.size(); i++) {
                if (!common.get(i).name().equals(tag.name())) {
                    args.add(CodeBlock.of("m$L", i));
                }
            }
            if (!isEmpty(v)) {
                args.add(CodeBlock.of("$T.readMembers(in)", types.className(v.type().name())));
            }
            read.add("case $L -> new $T($L);\n", JavaNames.constant(v.name()),
                    self.nestedClass(AlternateGenerator.nestedName(self, v.name())),
                    CodeBlock.join(args, ", "));
        }
        read.unindent().add("};\n");
        spec.addMethod(MethodSpec.methodBuilder("readMembers").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("Reads the common members, then the branch's, from the current object.\n")
                .returns(self).addParameter(Runtime.INPUT, "in").addCode(read.build()).build());
        return spec.build();
    }

    private static int indexOf(List<Member> members, Member m) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).name().equals(m.name())) {
                return i;
            }
        }
        throw new IllegalStateException("discriminator " + m.name() + " is not a member");
    }

    private static boolean isEmpty(Variant v) {
        return v.type().type() instanceof ObjectType o && o.isEmpty();
    }

    private TypeSpec variantRecord(ObjectType union, ClassName self, Member tag, Variant v) {
        ClassName name = self.nestedClass(AlternateGenerator.nestedName(self, v.name()));
        TypeSpec.Builder record = TypeSpec.recordBuilder(name).addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addSuperinterface(self)
                .addJavadoc("The branch for {@code $L} $L.\n", tag.name(), v.name());
        MethodSpec.Builder ctor = MethodSpec.compactConstructorBuilder().addModifiers(Modifier.PUBLIC);
        MethodSpec.Builder write = MethodSpec.methodBuilder("writeMembers").addModifiers(Modifier.PUBLIC)
                .addAnnotation(Override.class)
                .addParameter(Runtime.JSON_OBJECT_BUILDER, "out").addParameter(Runtime.POLICY, "policy");
        ClassName tagType = types.className(tag.type().name());
        for (Member m : union.members()) {
            String field = StructGenerator.field(m);
            if (m.name().equals(tag.name())) {
                record.addMethod(MethodSpec.methodBuilder(field).addModifiers(Modifier.PUBLIC)
                        .addAnnotation(Override.class).returns(tagType)
                        .addStatement("return $T.$L", tagType, JavaNames.constant(v.name())).build());
                write.addStatement("out.put($S, $T.$L.toJson())", m.name(), tagType, JavaNames.constant(v.name()));
                continue;
            }
            ctor.addParameter(ParameterSpec.builder(types.of(m.type(), m.optional()), field).build());
            if (!m.optional() && !types.isPrimitive(m.type())) {
                ctor.addStatement("$T.requireNonNull($L, $S)", Runtime.OBJECTS, field, m.name());
            }
            write.addCode(structs.writeMember(m, "this." + field));
        }
        if (!isEmpty(v)) {
            ctor.addParameter(types.className(v.type().name()), "branch");
            ctor.addStatement("$T.requireNonNull(branch, $S)", Runtime.OBJECTS, "branch");
            write.addStatement("this.branch.writeMembers(out, policy)");
        }
        return record.recordConstructor(ctor.build()).addMethod(write.build()).build();
    }
}
