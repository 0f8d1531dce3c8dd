package org.jqmp.qapi.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Modifier;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonBool;
import org.jqmp.json.JsonNull;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;
import org.jqmp.qapi.model.Command;

/**
 * The introspection data as a class: the SchemaInfo list, computed at generation time, written as code that
 * builds the JSON values (in parts, since a Java method holds at most 64 KiB of bytecode), so nothing at run
 * time parses or depends on the compiler. QEMU does the same with a QLit literal ({@code qapi-introspect.c}).
 */
final class IntrospectionGenerator {
    private static final int ENTRIES_PER_PART = 25;

    TypeSpec generate(ClassName name, JsonArray schemaInfo, Optional<Command> queryQmpSchema) {
        ClassName jsonList = Runtime.JSON_ARRAY;
        TypeSpec.Builder spec = TypeSpec.classBuilder(name).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("The schema's {@code query-qmp-schema} value ($L SchemaInfo entries), with QEMU's name "
                        + "masking.\n", schemaInfo.size())
                // built on first use, not when the command table registers query-qmp-schema: building it took
                // about a sixth of a `jqmp run` start (docs/benchmarks.md, "Machine start")
                .addType(TypeSpec.classBuilder("Data").addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .addField(FieldSpec.builder(jsonList, "SCHEMA", Modifier.STATIC, Modifier.FINAL)
                                .initializer("build()").build())
                        .build())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
                .addMethod(MethodSpec.methodBuilder("schemaInfo").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .addJavadoc("Every SchemaInfo entry, as QEMU lists them.\n")
                        .returns(jsonList).addStatement("return Data.SCHEMA").build());
        queryQmpSchema.ifPresent(c -> spec.addMethod(MethodSpec.methodBuilder("definition")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("The {@code query-qmp-schema} command, answered from this data.\n")
                .returns(Runtime.DEFINITION)
                .addStatement("return $L", CommandGenerator.definition(c,
                        CodeBlock.of("(arguments, context) -> new $T(schemaInfo()).execute(arguments, context)",
                                Runtime.SCHEMA_QUERY)))
                .build()));
        var listType = ParameterizedTypeName.get(Runtime.LIST, Runtime.JSON_VALUE);
        MethodSpec.Builder build = MethodSpec.methodBuilder("build").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(jsonList)
                .addStatement("$T entries = new $T<>($L)", listType, java.util.ArrayList.class, schemaInfo.size());
        List<JsonValue> all = schemaInfo.elements();
        for (int part = 0; part * ENTRIES_PER_PART < all.size(); part++) {
            build.addStatement("part$L(entries)", part);
            MethodSpec.Builder p = MethodSpec.methodBuilder("part" + part)
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC).addParameter(listType, "entries");
            all.subList(part * ENTRIES_PER_PART, Math.min(all.size(), (part + 1) * ENTRIES_PER_PART))
                    .forEach(v -> p.addStatement("entries.add($L)", literal(v)));
            spec.addMethod(p.build());
        }
        spec.addMethod(build.addStatement("return new $T(entries)", jsonList).build());
        spec.addMethod(MethodSpec.methodBuilder("o").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(Runtime.JSON_OBJECT).addParameter(Object[].class, "keysAndValues").varargs()
                .addStatement("$T b = $T.builder()", Runtime.JSON_OBJECT_BUILDER, Runtime.JSON_OBJECT)
                .beginControlFlow("for (int i = 0; i < keysAndValues.length; i += 2)")
                .addStatement("b.put((String) keysAndValues[i], value(keysAndValues[i + 1]))")
                .endControlFlow()
                .addStatement("return b.build()").build());
        spec.addMethod(MethodSpec.methodBuilder("a").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(jsonList).addParameter(Object[].class, "elements").varargs()
                .addStatement("$T list = new $T<>(elements.length)", listType, java.util.ArrayList.class)
                .beginControlFlow("for (Object e : elements)").addStatement("list.add(value(e))").endControlFlow()
                .addStatement("return new $T(list)", jsonList).build());
        spec.addMethod(MethodSpec.methodBuilder("value").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(Runtime.JSON_VALUE).addParameter(Object.class, "v")
                .addCode(CodeBlock.builder().beginControlFlow("return switch (v)")
                        .add("case String s -> new $T(s);\n", Runtime.JSON_STRING)
                        .add("case Boolean b -> $T.of(b);\n", Runtime.JSON_BOOL)
                        .add("case null -> $T.NULL;\n", Runtime.JSON_NULL)
                        .add("default -> ($T) v;\n", Runtime.JSON_VALUE)
                        .unindent().add("};\n").build())
                .build());
        return spec.build();
    }

    /**
     * The value as a compact expression over the helpers o(...), a(...) and plain literals. The data of a whole
     * schema is thousands of these: built as one string each, not as a tree of code blocks that JavaPoet takes
     * apart again, when every string in it is plain printable ASCII (what {@code $S} writes unchanged, between
     * double quotes).
     */
    static CodeBlock literal(JsonValue v) {
        StringBuilder text = new StringBuilder();
        return appendPlain(text, v) ? CodeBlock.of("$L", text.toString()) : literalBlock(v);
    }

    /** Appends the expression of {@code v}; false (and the text is to be dropped) for any string not plain. */
    private static boolean appendPlain(StringBuilder text, JsonValue v) {
        switch (v) {
            case JsonString s -> {
                return appendPlain(text, s.value());
            }
            case JsonBool b -> text.append(b.value());
            case JsonNull n -> text.append("null");
            case JsonArray a -> {
                text.append("a(");
                for (int i = 0; i < a.elements().size(); i++) {
                    if (!appendPlain(text.append(i == 0 ? "" : ", "), a.elements().get(i))) {
                        return false;
                    }
                }
                text.append(')');
            }
            case JsonObject o -> {
                text.append("o(");
                String separator = "";
                for (var e : o.members().entrySet()) {
                    if (!appendPlain(text.append(separator), e.getKey())
                            || !appendPlain(text.append(", "), e.getValue())) {
                        return false;
                    }
                    separator = ", ";
                }
                text.append(')');
            }
            default -> throw new IllegalArgumentException("no number is ever introspected: " + v);
        }
        return true;
    }

    private static boolean appendPlain(StringBuilder text, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' || c > '~' || c == '"' || c == '\\' || c == '\'') {
                return false;
            }
        }
        text.append('"').append(s).append('"');
        return true;
    }

    private static CodeBlock literalBlock(JsonValue v) {
        return switch (v) {
            case JsonString s -> CodeBlock.of("$S", s.value());
            case JsonBool b -> CodeBlock.of("$L", b.value());
            case JsonNull n -> CodeBlock.of("null");
            case JsonArray a -> CodeBlock.of("a($L)",
                    a.elements().stream().map(IntrospectionGenerator::literalBlock).collect(CodeBlock.joining(", ")));
            case JsonObject o -> CodeBlock.of("o($L)", o.members().entrySet().stream()
                    .map(e -> CodeBlock.of("$S, $L", e.getKey(), literalBlock(e.getValue())))
                    .collect(CodeBlock.joining(", ")));
            default -> throw new IllegalArgumentException("no number is ever introspected: " + v);
        };
    }
}
