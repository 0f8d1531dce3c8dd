package org.jqmp.qapi.check;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jqmp.qapi.model.Condition;
import org.jqmp.qapi.model.EnumValue;
import org.jqmp.qapi.model.Feature;
import org.jqmp.qapi.model.Member;
import org.jqmp.qapi.model.TypeRef;
import org.jqmp.qapi.model.Variant;
import org.jqmp.qapi.parse.DocBuilder;
import org.jqmp.qapi.parse.SourceInfo;

/**
 * An object member, enum value, feature or branch while the schema is checked (QEMU's QAPISchemaMember and
 * subclasses). The {@code role} is the word QEMU uses for it in messages: member, value, feature, branch.
 */
final class DraftMember {
    final String name;
    final SourceInfo info;
    final Condition condition;
    final String role;
    final String typeName;
    final boolean optional;
    final List<DraftMember> features;
    String definedIn;
    DraftType type;

    DraftMember(String name, SourceInfo info, Condition condition, String role, String typeName,
                boolean optional, List<DraftMember> features) {
        this.name = name;
        this.info = info;
        this.condition = condition;
        this.role = role;
        this.typeName = typeName;
        this.optional = optional;
        this.features = features;
        features.forEach(f -> f.definedIn = name);
    }

    static DraftMember feature(String name, SourceInfo info, Condition condition) {
        return new DraftMember(name, info, condition, "feature", null, false, List.of());
    }

    boolean isSpecialFeature() {
        return name.equals(Feature.DEPRECATED) || name.equals(Feature.UNSTABLE);
    }

    /** Resolves the member's type and checks its features (QAPISchemaObjectTypeMember.check). */
    void check(SchemaChecker schema) {
        type = schema.resolveType(typeName, info, describe(info) + " uses unknown type '" + typeName + "'");
        checkFeatureClashes(features, info);
    }

    static void checkFeatureClashes(List<DraftMember> features, SourceInfo info) {
        Map<String, DraftMember> seen = new java.util.HashMap<>();
        features.forEach(f -> f.checkClash(info, seen));
    }

    /** Members clash when their C names are equal, e.g. 'a-b' and 'a_b'. */
    void checkClash(SourceInfo at, Map<String, DraftMember> seen) {
        String key = Names.clashKey(name);
        DraftMember other = seen.get(key);
        if (other != null) {
            throw at.error(describe(at) + " collides with " + other.describe(at));
        }
        seen.put(key, this);
    }

    /** QEMU's QAPISchemaMember.describe: names the owner when it is not the definition being reported. */
    String describe(SourceInfo at) {
        String r = role;
        String meta = "type";
        String owner = definedIn;
        if (owner.startsWith("q_obj_")) {
            owner = owner.substring(6);
            if (owner.endsWith("-arg")) {
                r = "parameter";
                meta = "command";
                owner = owner.substring(0, owner.length() - 4);
            } else if (owner.endsWith("-base")) {
                r = "base " + r;
                owner = owner.substring(0, owner.length() - 5);
            }
        }
        if (!owner.equals(at.definitionName())) {
            return r + " '" + name + "' of " + meta + " '" + owner + "'";
        }
        return r + " '" + name + "'";
    }

    /** Connects this member (and its features) to the doc comment that should describe it. */
    void connectDoc(DocBuilder doc) {
        if (doc != null) {
            doc.connectMember(name, role, info);
            features.forEach(f -> doc.connectFeature(f.name, f.info));
        }
    }

    Feature toFeature() {
        return new Feature(name, condition);
    }

    static List<Feature> toFeatures(List<DraftMember> features) {
        return features.stream().map(DraftMember::toFeature).toList();
    }

    Member toMember(Function<String, TypeRef> refs) {
        return new Member(name, refs.apply(type.name), optional, condition, toFeatures(features), definedIn);
    }

    EnumValue toEnumValue() {
        return new EnumValue(name, condition, toFeatures(features));
    }

    Variant toVariant(Function<String, TypeRef> refs) {
        return new Variant(name, refs.apply(type.name), condition);
    }
}
