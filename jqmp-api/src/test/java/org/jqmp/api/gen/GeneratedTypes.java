package org.jqmp.api.gen;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.QObjectInput;
import org.jqmp.api.runtime.QObjectOutput;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonBool;
import org.jqmp.json.JsonDouble;
import org.jqmp.json.JsonInt;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;
import org.jqmp.qapi.gen.JavaGenerator;
import org.jqmp.qapi.model.AlternateType;
import org.jqmp.qapi.model.ArrayType;
import org.jqmp.qapi.model.BuiltinType;
import org.jqmp.qapi.model.EnumType;
import org.jqmp.qapi.model.ObjectType;
import org.jqmp.qapi.model.Schema;
import org.jqmp.qapi.model.SchemaType;

/**
 * The classes generated for one schema, driven from the schema model: reads JSON into a value of the generated
 * type of a {@link TypeRef} through the generated readers ({@code read}, {@code fromWireName}), and writes a value
 * back through the generated writers ({@code toJson}). Built-in scalars and lists, which have no class of their
 * own, follow the generator's value convention (see {@code TypeMapping}).
 */
final class GeneratedTypes {
    final Schema schema;
    private final String packageName;
    private final ClassLoader loader;
    private final Map<String, String> classNames;
    private final Map<String, Class<?>> classes = new ConcurrentHashMap<>();

    GeneratedTypes(Schema schema, String packageName, ClassLoader loader) {
        this.schema = schema;
        this.packageName = packageName;
        this.loader = loader;
        this.classNames = JavaGenerator.classNames(schema);
    }

    /** The QAPI names of every type with a generated class. */
    List<String> typeNames() {
        return List.copyOf(classNames.keySet());
    }

    Class<?> classOf(String qapiName) {
        return classes.computeIfAbsent(qapiName, n -> load(packageName + "." + classNames.get(n)));
    }

    Class<?> load(String className) {
        try {
            return Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("no generated class " + className, e);
        }
    }

    /** The generated type's value for {@code json} (strict input, every policy accepting). */
    Object read(SchemaType type, JsonValue json) {
        return switch (type) {
            case BuiltinType b -> readBuiltin(b.name(), new QObjectInput(json, CompatPolicy.ACCEPT_ALL));
            case EnumType e -> call(method(e.name(), "fromWireName", String.class), null,
                    ((JsonString) json).value());
            case ArrayType a -> {
                List<Object> values = new ArrayList<>();
                for (JsonValue element : ((JsonArray) json).elements()) {
                    values.add(read(a.elementType().type(), element));
                }
                yield values;
            }
            case ObjectType o -> readNamed(o.name(), json);
            case AlternateType a -> readNamed(a.name(), json);
        };
    }

    private Object readNamed(String name, JsonValue json) {
        return call(method(name, "read", QObjectInput.class, String.class), null,
                new QObjectInput(json, CompatPolicy.ACCEPT_ALL), null);
    }

    private static Object readBuiltin(String name, QObjectInput in) {
        return switch (name) {
            case "str" -> in.readString(null);
            case "uint64", "size" -> in.readUint64(null);
            case "number" -> in.readNumber(null);
            case "bool" -> in.readBool(null);
            case "null" -> in.readNull(null);
            case "any" -> in.readAny(null);
            default -> in.readInt(null); // the range checks are the marshallers' business, tested elsewhere
        };
    }

    /** The wire image of {@code value}, a value of the generated type of {@code type}. */
    JsonValue write(SchemaType type, Object value) {
        return switch (type) {
            case BuiltinType b -> switch (b.name()) {
                case "str" -> new JsonString((String) value);
                case "uint64", "size" -> QObjectOutput.uint64((Long) value);
                case "number" -> new JsonDouble((Double) value);
                case "bool" -> JsonBool.of((Boolean) value);
                case "null", "any" -> (JsonValue) value;
                default -> new JsonInt((Long) value);
            };
            case EnumType e -> (JsonValue) call(method(e.name(), "toJson"), value);
            case ArrayType a -> new JsonArray(((List<?>) value).stream().map(v -> write(a.elementType().type(), v))
                    .toList());
            case ObjectType o -> (JsonValue) call(method(o.name(), "toJson", CompatPolicy.class), value,
                    CompatPolicy.ACCEPT_ALL);
            case AlternateType a -> (JsonValue) call(method(a.name(), "toJson", CompatPolicy.class), value,
                    CompatPolicy.ACCEPT_ALL);
        };
    }

    private Method method(String qapiName, String name, Class<?>... parameters) {
        try {
            return classOf(qapiName).getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            throw new AssertionError("generated " + classOf(qapiName) + " has no " + name, e);
        }
    }

    /** Invokes a generated method; what it throws (a QmpException) is rethrown as is. */
    static Object call(Method method, Object target, Object... arguments) {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError(e.getCause());
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
