package org.jqmp.qapi.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import javax.lang.model.element.Modifier;
import org.jqmp.qapi.model.EnumType;
import org.jqmp.qapi.model.EnumValue;
import org.jqmp.qapi.model.Feature;

/** An enum as a Java enum: constants carry the wire name and the value's special features (for -compat). */
final class EnumGenerator {
    private final TypeMapping types;

    EnumGenerator(TypeMapping types) {
        this.types = types;
    }

    TypeSpec generate(EnumType e) {
        ClassName self = types.className(e.name());
        TypeSpec.Builder spec = TypeSpec.enumBuilder(self).addModifiers(Modifier.PUBLIC).addJavadoc(Javadoc.of(e));
        for (EnumValue v : e.values()) {
            CodeBlock args = CodeBlock.of("$S", v.name());
            for (Feature f : v.features()) {
                if (f.isSpecial()) {
                    args = CodeBlock.of("$L, $S", args, f.name());
                }
            }
            TypeSpec.Builder constant = TypeSpec.anonymousClassBuilder(args);
            Javadoc.member(e, v.name()).ifPresent(doc -> constant.addJavadoc("$L\n", doc));
            spec.addEnumConstant(JavaNames.constant(v.name()), constant.build());
        }
        spec.addField(FieldSpec.builder(ParameterizedTypeName.get(Runtime.MAP, ClassName.get(String.class), self),
                        "BY_WIRE_NAME", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer("new $T<>()", java.util.HashMap.class).build());
        spec.addStaticBlock(CodeBlock.builder()
                .beginControlFlow("for ($T value : values())", self)
                .addStatement("BY_WIRE_NAME.put(value.wireName, value)")
                .endControlFlow().build());
        spec.addField(String.class, "wireName", Modifier.PRIVATE, Modifier.FINAL);
        spec.addField(Runtime.STRING_SET, "specialFeatures", Modifier.PRIVATE, Modifier.FINAL);
        spec.addMethod(MethodSpec.constructorBuilder()
                .addParameter(String.class, "wireName")
                .addParameter(String[].class, "specialFeatures").varargs()
                .addStatement("this.wireName = wireName")
                .addStatement("this.specialFeatures = $T.of(specialFeatures)", Runtime.SET)
                .build());
        spec.addMethod(MethodSpec.methodBuilder("wireName").addModifiers(Modifier.PUBLIC)
                .addJavadoc("The value as written on the wire.\n")
                .returns(String.class).addStatement("return wireName").build());
        spec.addMethod(MethodSpec.methodBuilder("specialFeatures").addModifiers(Modifier.PUBLIC)
                .addJavadoc("{@code deprecated} and/or {@code unstable}, for the -compat policies.\n")
                .returns(Runtime.STRING_SET).addStatement("return specialFeatures").build());
        spec.addMethod(MethodSpec.methodBuilder("fromWireName").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("The value with this wire name, or null if there is none.\n")
                .returns(self).addParameter(String.class, "wireName")
                .addStatement("return BY_WIRE_NAME.get(wireName)").build());
        spec.addMethod(MethodSpec.methodBuilder("toJson").addModifiers(Modifier.PUBLIC)
                .returns(Runtime.JSON_STRING).addStatement("return new $T(wireName)", Runtime.JSON_STRING).build());
        return spec.build();
    }
}
