package org.jqmp.qapi.check;

import java.util.List;
import java.util.function.Function;
import org.jqmp.qapi.model.ArrayType;
import org.jqmp.qapi.model.Condition;
import org.jqmp.qapi.model.Definition;
import org.jqmp.qapi.model.JsonType;
import org.jqmp.qapi.model.TypeRef;
import org.jqmp.qapi.parse.SourceInfo;

/** {@code ['T']}, named {@code TList}; made the first time the schema mentions it. */
final class DraftArray extends DraftType {
    final String elementName;
    DraftType element;

    DraftArray(String name, SourceInfo info, String elementName) {
        super(name, info, null, Condition.Always.INSTANCE, List.of());
        this.elementName = elementName;
    }

    @Override
    String meta() {
        return "array";
    }

    @Override
    JsonType jsonType() {
        return JsonType.ARRAY;
    }

    @Override
    boolean isImplicit() {
        return true;
    }

    @Override
    void check(SchemaChecker schema) {
        super.check(schema);
        // QEMU reports an unknown element type in the words of the definition that first used the array.
        String what = info == null ? "built-in" : info.definitionMeta();
        element = schema.resolveType(elementName, info, what + " uses unknown type '" + elementName + "'");
    }

    @Override
    Condition condition() {
        return element.condition();
    }

    @Override
    SourceInfo moduleInfo() {
        return element.moduleInfo();
    }

    @Override
    String describe() {
        return "array type ['" + elementName + "']";
    }

    @Override
    Definition toModel(Function<String, TypeRef> refs, String module) {
        return new ArrayType(name, location(), refs.apply(elementName));
    }
}
