package org.jqmp.qapi.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jqmp.qapi.model.AlternateType;
import org.jqmp.qapi.model.ArrayType;
import org.jqmp.qapi.model.BuiltinType;
import org.jqmp.qapi.model.EnumType;
import org.jqmp.qapi.model.Feature;
import org.jqmp.qapi.model.ObjectType;
import org.jqmp.qapi.model.SchemaType;
import org.jqmp.qapi.model.TypeRef;

/**
 * Java types for QAPI types, and the code that reads and writes them. Convention for values: {@code str} is
 * String, every integer type is {@code long} (uint64 and size as unsigned bits), {@code number} is double,
 * {@code bool} boolean, {@code any} JsonValue, {@code null} JsonNull, arrays are {@code List}s; a mandatory
 * scalar member is primitive, an optional one is boxed and null when absent (so "has" is "non-null").
 */
final class TypeMapping {
    private final String packageName;
    private final JavaNames names;

    TypeMapping(String packageName, JavaNames names) {
        this.packageName = packageName;
        this.names = names;
    }

    ClassName className(String qapiName) {
        return ClassName.get(packageName, names.type(qapiName));
    }

    /** The Java type of a mandatory value (primitive for scalars). */
    TypeName mandatory(TypeRef ref) {
        return switch (ref.type()) {
            case BuiltinType b -> switch (b.jsonType()) {
                case STRING -> ClassName.get(String.class);
                case INT -> TypeName.LONG;
                case NUMBER -> TypeName.DOUBLE;
                case BOOLEAN -> TypeName.BOOLEAN;
                case NULL -> Runtime.JSON_NULL;
                default -> Runtime.JSON_VALUE;
            };
            case ArrayType a -> ParameterizedTypeName.get(Runtime.LIST, optional(a.elementType()));
            default -> className(ref.name());
        };
    }

    /** The Java type of an optional value, a list element or a nullable result: boxed. */
    TypeName optional(TypeRef ref) {
        return mandatory(ref).box();
    }

    TypeName of(TypeRef ref, boolean optional) {
        return optional ? optional(ref) : mandatory(ref);
    }

    boolean isPrimitive(TypeRef ref) {
        return mandatory(ref).isPrimitive();
    }

    /** An expression reading the value named {@code name} (a Java string literal, or null for a list element). */
    CodeBlock read(TypeRef ref, String name) {
        return read(ref, CodeBlock.of("$S", name), CodeBlock.of("in"));
    }

    CodeBlock read(TypeRef ref, String name, CodeBlock in) {
        return read(ref, CodeBlock.of("$S", name), in);
    }

    /** Reads with the name given as an expression, calling the input through {@code in} (an expression). */
    CodeBlock read(TypeRef ref, CodeBlock name, CodeBlock in) {
        return switch (ref.type()) {
            case BuiltinType b -> CodeBlock.of("$L.$L", in, readBuiltin(b, name));
            case EnumType e -> CodeBlock.of("$L.readEnum($L, $T::fromWireName, $T::specialFeatures)", in, name,
                    className(e.name()), className(e.name()));
            case ArrayType a -> CodeBlock.of("$L.readList($L, () -> $L)", in, name, read(a.elementType(), null));
            case ObjectType o -> CodeBlock.of("$T.read($L, $L)", className(o.name()), in, name);
            case AlternateType a -> CodeBlock.of("$T.read($L, $L)", className(a.name()), in, name);
        };
    }

    /** The method call (without receiver) reading a built-in type. */
    private static CodeBlock readBuiltin(BuiltinType b, CodeBlock name) {
        return switch (b.name()) {
            case "str" -> CodeBlock.of("readString($L)", name);
            case "int", "int64" -> CodeBlock.of("readInt($L)", name);
            case "int8" -> CodeBlock.of("readIntN($L, $L, $L, $S)", name, "-128L", "127L", "int8_t");
            case "int16" -> CodeBlock.of("readIntN($L, $L, $L, $S)", name, "-32768L", "32767L", "int16_t");
            case "int32" -> CodeBlock.of("readIntN($L, $L, $L, $S)", name, "-2147483648L", "2147483647L",
                    "int32_t");
            case "uint8" -> CodeBlock.of("readUintN($L, $L, $S)", name, "255L", "uint8_t");
            case "uint16" -> CodeBlock.of("readUintN($L, $L, $S)", name, "65535L", "uint16_t");
            case "uint32" -> CodeBlock.of("readUintN($L, $L, $S)", name, "4294967295L", "uint32_t");
            case "uint64", "size" -> CodeBlock.of("readUint64($L)", name);
            case "number" -> CodeBlock.of("readNumber($L)", name);
            case "bool" -> CodeBlock.of("readBool($L)", name);
            case "null" -> CodeBlock.of("readNull($L)", name);
            default -> CodeBlock.of("readAny($L)", name);
        };
    }

    /** An expression converting {@code value} (non-null) to a JsonValue; {@code depth} names lambda variables. */
    CodeBlock write(TypeRef ref, CodeBlock value, int depth) {
        return switch (ref.type()) {
            case BuiltinType b -> switch (b.name()) {
                case "str" -> CodeBlock.of("new $T($L)", Runtime.JSON_STRING, value);
                case "uint64", "size" -> CodeBlock.of("$T.uint64($L)", Runtime.OUTPUT, value);
                case "number" -> CodeBlock.of("$T.number($L)", Runtime.OUTPUT, value);
                case "bool" -> CodeBlock.of("$T.of($L)", Runtime.JSON_BOOL, value);
                case "any", "null" -> value;
                default -> CodeBlock.of("$T.integer($L)", Runtime.OUTPUT, value);
            };
            case EnumType e -> CodeBlock.of("$L.toJson()", value);
            case ArrayType a -> {
                String v = "e" + depth;
                yield CodeBlock.of("$T.list($L, $L -> $L)", Runtime.OUTPUT, value, v,
                        write(a.elementType(), CodeBlock.of("$L", v), depth + 1));
            }
            case ObjectType o -> CodeBlock.of("$L.toJson(policy)", value);
            case AlternateType a -> CodeBlock.of("$L.toJson(policy)", value);
        };
    }

    /**
     * Whether {@link #write} of this type reads a {@code policy} variable: objects and alternates, also as list
     * elements. Decided from the type, not by emitting the expression to text and searching it.
     */
    static boolean writeUsesPolicy(TypeRef ref) {
        return switch (ref.type()) {
            case ArrayType a -> writeUsesPolicy(a.elementType());
            case ObjectType o -> true;
            case AlternateType a -> true;
            default -> false;
        };
    }

    /** {@code Set.of("deprecated")}: the special features of a member, value or definition. */
    static CodeBlock specialFeatures(List<Feature> features) {
        Set<String> special = features.stream().filter(Feature::isSpecial).map(Feature::name)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        if (special.isEmpty()) {
            return CodeBlock.of("$T.of()", Runtime.SET);
        }
        return CodeBlock.of("$T.of($L)", Runtime.SET,
                special.stream().map(s -> CodeBlock.of("$S", s)).collect(CodeBlock.joining(", ")));
    }

    static boolean hasSpecial(List<Feature> features) {
        return features.stream().anyMatch(Feature::isSpecial);
    }

    static SchemaType type(TypeRef ref) {
        return ref.type();
    }
}
