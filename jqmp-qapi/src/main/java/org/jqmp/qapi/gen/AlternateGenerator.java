package org.jqmp.qapi.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import javax.lang.model.element.Modifier;
import org.jqmp.qapi.model.AlternateType;
import org.jqmp.qapi.model.Variant;

/**
 * An alternate as a sealed interface with one nested record per alternative holding its {@code value}. On
 * input the JSON type of the value picks the alternative, as QEMU's generated {@code visit_type_Foo} switches
 * on the QType; a value no alternative takes is {@code Invalid parameter type for 'x', expected: Foo}.
 */
final class AlternateGenerator {
    private final TypeMapping types;

    AlternateGenerator(TypeMapping types) {
        this.types = types;
    }

    TypeSpec generate(AlternateType alt) {
        ClassName self = types.className(alt.name());
        TypeSpec.Builder spec = TypeSpec.interfaceBuilder(self).addModifiers(Modifier.PUBLIC, Modifier.SEALED)
                .addJavadoc(Javadoc.of(alt));
        spec.addMethod(MethodSpec.methodBuilder("toJson").addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
                .returns(Runtime.JSON_VALUE).addParameter(Runtime.POLICY, "policy").build());
        CodeBlock.Builder read = CodeBlock.builder().beginControlFlow("return switch (in.peek(name))");
        for (Variant v : alt.alternatives()) {
            String nested = nestedName(self, v.name());
            ClassName nestedClass = self.nestedClass(nested);
            TypeName valueType = types.mandatory(v.type());
            MethodSpec.Builder ctor = MethodSpec.compactConstructorBuilder().addModifiers(Modifier.PUBLIC)
                    .addParameter(valueType, "value");
            if (!valueType.isPrimitive()) {
                ctor.addStatement("$T.requireNonNull(value, $S)", Runtime.OBJECTS, "value");
            }
            spec.addType(TypeSpec.recordBuilder(nestedClass).addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                    .addJavadoc("The {@code $L} alternative.\n", v.name())
                    .addSuperinterface(self)
                    .recordConstructor(ctor.build())
                    .addMethod(MethodSpec.methodBuilder("toJson").addModifiers(Modifier.PUBLIC)
                            .addAnnotation(Override.class).returns(Runtime.JSON_VALUE)
                            .addParameter(Runtime.POLICY, "policy")
                            .addStatement("return $L", types.write(v.type(), CodeBlock.of("value"), 0)).build())
                    .build());
            read.add("case $T j -> new $T($L);\n", wireClass(v), nestedClass,
                    types.read(v.type(), CodeBlock.of("name"), CodeBlock.of("in")));
        }
        read.add("default -> throw in.alternateMismatch(name, $S);\n", alt.name()).unindent().add("};\n");
        spec.addMethod(MethodSpec.methodBuilder("read").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("Reads the member {@code name} (null: the next list element or the root).\n")
                .returns(self).addParameter(Runtime.INPUT, "in").addParameter(String.class, "name")
                .addCode(read.build()).build());
        return spec.build();
    }

    private ClassName wireClass(Variant v) {
        return switch (v.type().type().jsonType()) {
            case STRING -> Runtime.JSON_STRING;
            case NUMBER, INT -> Runtime.JSON_NUMBER;
            case BOOLEAN -> Runtime.JSON_BOOL;
            case NULL -> Runtime.JSON_NULL;
            case OBJECT -> Runtime.JSON_OBJECT;
            case ARRAY -> Runtime.JSON_ARRAY;
            case VALUE -> Runtime.JSON_VALUE;
        };
    }

    /** Nested class names: the branch name in CamelCase, never the enclosing type's own name. */
    static String nestedName(ClassName outer, String branch) {
        String n = JavaNames.upperCamel(branch);
        return n.equals(outer.simpleName()) ? n + "Branch" : n;
    }
}
