package org.jqmp.api.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;

/**
 * {@code query-qmp-schema}, answered from a SchemaInfo list generated at build time. With
 * {@code -compat deprecated-output=hide} it leaves out what QEMU's {@code qmp_query_qmp_schema} zaps
 * (entities and object members with feature {@code deprecated}), and SchemaInfoEnum's {@code values}, itself
 * deprecated since 6.2, which QEMU's output visitor hides under that policy.
 */
public final class SchemaQuery implements CommandHandler {
    private final JsonArray schema;

    public SchemaQuery(JsonArray schema) {
        this.schema = schema;
    }

    @Override
    public JsonValue execute(JsonObject arguments, CommandContext context) {
        QObjectInput in = new QObjectInput(arguments, context.compatPolicy());
        in.startStruct(null);
        in.checkStruct();
        in.endStruct();
        CompatPolicy policy = context.compatPolicy();
        return policy.deprecatedOutput() == CompatPolicy.Output.HIDE ? withoutDeprecated(schema) : schema;
    }

    /** The list without deprecated entities, deprecated object members, and enums' {@code values}. */
    public static JsonArray withoutDeprecated(JsonArray schema) {
        List<JsonValue> kept = new ArrayList<>();
        for (JsonValue v : schema.elements()) {
            JsonObject entity = (JsonObject) v;
            if (deprecated(entity)) {
                continue;
            }
            JsonObject.Builder copy = JsonObject.builder();
            String meta = ((JsonString) entity.get("meta-type")).value();
            for (Map.Entry<String, JsonValue> e : entity.members().entrySet()) {
                if (meta.equals("enum") && e.getKey().equals("values")) {
                    continue;
                }
                if (meta.equals("object") && e.getKey().equals("members")) {
                    copy.put("members", new JsonArray(((JsonArray) e.getValue()).elements().stream()
                            .filter(m -> !deprecated((JsonObject) m)).toList()));
                } else {
                    copy.put(e.getKey(), e.getValue());
                }
            }
            kept.add(copy.build());
        }
        return new JsonArray(kept);
    }

    private static boolean deprecated(JsonObject o) {
        return o.get("features") instanceof JsonArray features
                && features.elements().contains(new JsonString("deprecated"));
    }
}
