package org.jqmp.qapi.check;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jqmp.qapi.model.Condition;
import org.jqmp.qapi.model.Definition;
import org.jqmp.qapi.model.DocComment;
import org.jqmp.qapi.model.SourceLocation;
import org.jqmp.qapi.model.TypeRef;
import org.jqmp.qapi.parse.DocBuilder;
import org.jqmp.qapi.parse.SourceInfo;

/** A definition while the schema is checked (QEMU's QAPISchemaDefinition); becomes a model record after. */
abstract class DraftDefinition {
    final String name;
    final SourceInfo info;
    final DocBuilder doc;
    final Condition condition;
    final List<DraftMember> features;
    boolean checked;

    DraftDefinition(String name, SourceInfo info, DocBuilder doc, Condition condition,
                    List<DraftMember> features) {
        this.name = name;
        this.info = info;
        this.doc = doc;
        this.condition = condition;
        this.features = features;
        features.forEach(f -> f.definedIn = name);
    }

    abstract String meta();

    void check(SchemaChecker schema) {
        checked = true;
        DraftMember.checkFeatureClashes(features, info);
    }

    void connectDoc(DocBuilder given) {
        DocBuilder d = given != null ? given : doc;
        if (d != null) {
            features.forEach(f -> d.connectFeature(f.name, f.info));
        }
    }

    boolean isImplicit() {
        return info == null;
    }

    Condition condition() {
        return condition;
    }

    /** The source file whose module holds this definition; null for the built-in module. */
    SourceInfo moduleInfo() {
        return info;
    }

    String describe() {
        return meta() + " '" + name + "'";
    }

    Optional<SourceLocation> location() {
        return Optional.ofNullable(info).map(SourceInfo::location);
    }

    Optional<DocComment> docModel() {
        return Optional.ofNullable(doc).map(DocBuilder::toModel);
    }

    abstract Definition toModel(Function<String, TypeRef> refs, String module);
}
