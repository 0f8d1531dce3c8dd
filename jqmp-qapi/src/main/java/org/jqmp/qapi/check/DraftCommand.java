package org.jqmp.qapi.check;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jqmp.qapi.model.Command;
import org.jqmp.qapi.model.Condition;
import org.jqmp.qapi.model.Definition;
import org.jqmp.qapi.model.TypeRef;
import org.jqmp.qapi.parse.DocBuilder;
import org.jqmp.qapi.parse.SourceInfo;

final class DraftCommand extends DraftDefinition {
    final String argTypeName;
    final String retTypeName;
    final boolean gen;
    final boolean successResponse;
    final boolean boxed;
    final boolean allowOob;
    final boolean allowPreconfig;
    final boolean coroutine;
    DraftObject argType;
    DraftType retType;

    /** The command's flags, in the order of the schema keys. */
    record Flags(boolean gen, boolean successResponse, boolean boxed, boolean allowOob, boolean allowPreconfig,
                 boolean coroutine) {
    }

    DraftCommand(String name, SourceInfo info, DocBuilder doc, Condition condition, List<DraftMember> features,
                 String argTypeName, String retTypeName, Flags flags) {
        super(name, info, doc, condition, features);
        this.argTypeName = argTypeName;
        this.retTypeName = retTypeName;
        this.gen = flags.gen();
        this.successResponse = flags.successResponse();
        this.boxed = flags.boxed();
        this.allowOob = flags.allowOob();
        this.allowPreconfig = flags.allowPreconfig();
        this.coroutine = flags.coroutine();
    }

    @Override
    String meta() {
        return "command";
    }

    @Override
    void check(SchemaChecker schema) {
        super.check(schema);
        if (argTypeName != null) {
            argType = DraftEvent.checkArguments(schema, this, argTypeName, boxed);
        }
        if (retTypeName != null) {
            retType = schema.resolveType(retTypeName, info,
                    "command's 'returns' uses unknown type '" + retTypeName + "'");
            // qapi-code-gen.rst: a command returns an object or an array of objects, so that it can be
            // extended compatibly; pragma 'command-returns-exceptions' lists the old commands that don't.
            if (!info.pragma().commandReturnsExceptions().contains(name)) {
                DraftType t = retType instanceof DraftArray a ? a.element : retType;
                if (!(t instanceof DraftObject)) {
                    throw info.error("command's 'returns' cannot take " + retType.describe());
                }
            }
        }
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
        return new Command(name, location(), docModel(), condition, DraftMember.toFeatures(features), module,
                Optional.ofNullable(argTypeName).map(refs), Optional.ofNullable(retTypeName).map(refs), gen,
                successResponse, boxed, allowOob, allowPreconfig, coroutine);
    }
}
