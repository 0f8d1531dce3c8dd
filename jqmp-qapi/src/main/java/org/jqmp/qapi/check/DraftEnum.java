package org.jqmp.qapi.check;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jqmp.qapi.model.Condition;
import org.jqmp.qapi.model.Definition;
import org.jqmp.qapi.model.EnumType;
import org.jqmp.qapi.model.JsonType;
import org.jqmp.qapi.model.TypeRef;
import org.jqmp.qapi.parse.DocBuilder;
import org.jqmp.qapi.parse.SourceInfo;

final class DraftEnum extends DraftType {
    final List<DraftMember> values;
    final String prefix;

    DraftEnum(String name, SourceInfo info, DocBuilder doc, Condition condition, List<DraftMember> features,
              List<DraftMember> values, String prefix) {
        super(name, info, doc, condition, features);
        this.values = values;
        this.prefix = prefix;
        values.forEach(v -> v.definedIn = name);
    }

    @Override
    String meta() {
        return "enum";
    }

    @Override
    JsonType jsonType() {
        return JsonType.STRING;
    }

    @Override
    boolean isImplicit() {
        return name.equals("QType");
    }

    boolean hasValue(String value) {
        return values.stream().anyMatch(v -> v.name.equals(value));
    }

    @Override
    void check(SchemaChecker schema) {
        super.check(schema);
        Map<String, DraftMember> seen = new HashMap<>();
        values.forEach(v -> v.checkClash(info, seen));
    }

    @Override
    void connectDoc(DocBuilder given) {
        super.connectDoc(given);
        DocBuilder d = given != null ? given : doc;
        values.forEach(v -> v.connectDoc(d));
    }

    @Override
    Definition toModel(Function<String, TypeRef> refs, String module) {
        return new EnumType(name, location(), docModel(), condition, DraftMember.toFeatures(features), module,
                values.stream().map(DraftMember::toEnumValue).toList(), Optional.ofNullable(prefix));
    }
}
