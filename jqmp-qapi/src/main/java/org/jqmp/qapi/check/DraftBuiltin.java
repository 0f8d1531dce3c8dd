package org.jqmp.qapi.check;

import java.util.List;
import java.util.function.Function;
import org.jqmp.qapi.model.BuiltinType;
import org.jqmp.qapi.model.Condition;
import org.jqmp.qapi.model.Definition;
import org.jqmp.qapi.model.JsonType;
import org.jqmp.qapi.model.TypeRef;

final class DraftBuiltin extends DraftType {
    private final JsonType jsonType;

    DraftBuiltin(String name, JsonType jsonType) {
        super(name, null, null, Condition.Always.INSTANCE, List.of());
        this.jsonType = jsonType;
    }

    @Override
    String meta() {
        return "built-in";
    }

    @Override
    JsonType jsonType() {
        return jsonType;
    }

    @Override
    Definition toModel(Function<String, TypeRef> refs, String module) {
        return new BuiltinType(name, jsonType);
    }
}
