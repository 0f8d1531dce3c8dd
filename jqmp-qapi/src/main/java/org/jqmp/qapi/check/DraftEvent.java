package org.jqmp.qapi.check;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jqmp.qapi.model.Condition;
import org.jqmp.qapi.model.Definition;
import org.jqmp.qapi.model.Event;
import org.jqmp.qapi.model.TypeRef;
import org.jqmp.qapi.parse.DocBuilder;
import org.jqmp.qapi.parse.SourceInfo;

final class DraftEvent extends DraftDefinition {
    final String argTypeName;
    final boolean boxed;
    DraftObject argType;

    DraftEvent(String name, SourceInfo info, DocBuilder doc, Condition condition, List<DraftMember> features,
               String argTypeName, boolean boxed) {
        super(name, info, doc, condition, features);
        this.argTypeName = argTypeName;
        this.boxed = boxed;
    }

    @Override
    String meta() {
        return "event";
    }

    @Override
    void check(SchemaChecker schema) {
        super.check(schema);
        if (argTypeName != null) {
            argType = checkArguments(schema, this, argTypeName, boxed);
        }
    }

    /**
     * The 'data' of a command or event: an object type; a union, or conditional members, only when boxed
     * (the unboxed C handler takes one parameter per member, which can be neither).
     */
    static DraftObject checkArguments(SchemaChecker schema, DraftDefinition owner, String typeName,
                                      boolean boxed) {
        String what = owner.meta() + "'s 'data'";
        DraftType t = schema.resolveType(typeName, owner.info, what + " uses unknown type '" + typeName + "'");
        if (!(t instanceof DraftObject arg)) {
            throw owner.info.error(what + " cannot take " + t.describe());
        }
        if (arg.isUnion() && !boxed) {
            throw owner.info.error(what + " can take " + arg.describe() + " only with 'boxed': true");
        }
        schema.checkNested(arg, owner.info);
        if (arg.hasConditionalMembers() && !boxed) {
            throw owner.info.error("conditional " + owner.meta() + " arguments require 'boxed': true");
        }
        return arg;
    }

    @Override
    void connectDoc(DocBuilder given) {
        super.connectDoc(given);
        DocBuilder d = given != null ? given : doc;
        if (d != null && argType != null && argType.isImplicit()) {
            argType.connectDoc(d);
        }
    }

    @Override
    Definition toModel(Function<String, TypeRef> refs, String module) {
        return new Event(name, location(), docModel(), condition, DraftMember.toFeatures(features), module,
                Optional.ofNullable(argTypeName).map(refs), boxed);
    }
}
