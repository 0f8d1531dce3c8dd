package org.jqmp.qapi.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;

/** The classes of jqmp-api's runtime and jqmp-json that generated code refers to. */
final class Runtime {
    static final String RT = "org.jqmp.api.runtime";
    static final String JSON = "org.jqmp.json";

    static final ClassName INPUT = ClassName.get(RT, "QObjectInput");
    static final ClassName OUTPUT = ClassName.get(RT, "QObjectOutput");
    static final ClassName POLICY = ClassName.get(RT, "CompatPolicy");
    static final ClassName CONTEXT = ClassName.get(RT, "CommandContext");
    static final ClassName TABLE = ClassName.get(RT, "CommandTable");
    static final ClassName DEFINITION = ClassName.get(RT, "CommandDefinition");
    static final ClassName EVENT_SINK = ClassName.get(RT, "EventSink");
    static final ClassName SCHEMA_QUERY = ClassName.get(RT, "SchemaQuery");

    static final ClassName JSON_VALUE = ClassName.get(JSON, "JsonValue");
    static final ClassName JSON_OBJECT = ClassName.get(JSON, "JsonObject");
    static final ClassName JSON_OBJECT_BUILDER = JSON_OBJECT.nestedClass("Builder");
    static final ClassName JSON_ARRAY = ClassName.get(JSON, "JsonArray");
    static final ClassName JSON_STRING = ClassName.get(JSON, "JsonString");
    static final ClassName JSON_NUMBER = ClassName.get(JSON, "JsonNumber");
    static final ClassName JSON_BOOL = ClassName.get(JSON, "JsonBool");
    static final ClassName JSON_NULL = ClassName.get(JSON, "JsonNull");

    static final ClassName LIST = ClassName.get("java.util", "List");
    static final ClassName SET = ClassName.get("java.util", "Set");
    static final ClassName MAP = ClassName.get("java.util", "Map");
    static final ClassName OBJECTS = ClassName.get("java.util", "Objects");
    static final TypeName STRING_SET = ParameterizedTypeName.get(SET, ClassName.get(String.class));

    private Runtime() {
    }
}
