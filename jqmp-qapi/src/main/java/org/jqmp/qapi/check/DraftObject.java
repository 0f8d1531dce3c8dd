package org.jqmp.qapi.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jqmp.qapi.model.Branches;
import org.jqmp.qapi.model.Condition;
import org.jqmp.qapi.model.Definition;
import org.jqmp.qapi.model.JsonType;
import org.jqmp.qapi.model.ObjectType;
import org.jqmp.qapi.model.TypeRef;
import org.jqmp.qapi.parse.DocBuilder;
import org.jqmp.qapi.parse.SourceInfo;

/** A struct (local members, optional base) or union (base and branches) while checked. */
final class DraftObject extends DraftType {
    final String baseName;
    final List<DraftMember> localMembers;
    final String tagName;
    final List<DraftMember> variants;
    DraftObject base;
    DraftMember tagMember;
    List<DraftMember> members;
    private boolean complete;

    DraftObject(String name, SourceInfo info, DocBuilder doc, Condition condition, List<DraftMember> features,
                String baseName, List<DraftMember> localMembers, String tagName, List<DraftMember> variants) {
        super(name, info, doc, condition, features);
        this.baseName = baseName;
        this.localMembers = localMembers;
        this.tagName = tagName;
        this.variants = variants == null ? null : new ArrayList<>(variants);
        localMembers.forEach(m -> m.definedIn = name);
        if (variants != null) {
            variants.forEach(v -> v.definedIn = name);
        }
    }

    boolean isUnion() {
        return variants != null;
    }

    @Override
    String meta() {
        return isUnion() ? "union" : "struct";
    }

    @Override
    JsonType jsonType() {
        return JsonType.OBJECT;
    }

    @Override
    boolean isImplicit() {
        return name.startsWith("q_");
    }

    boolean hasConditionalMembers() {
        return members.stream().anyMatch(m -> m.condition.isPresent());
    }

    /**
     * Checks exactly those types whose C struct this one contains (its base and its branches), so a cycle
     * there means the object contains itself.
     */
    @Override
    void check(SchemaChecker schema) {
        if (complete) {
            return;
        }
        if (checked) {
            throw info.error("object " + name + " contains itself");
        }
        super.check(schema);
        Map<String, DraftMember> seen = new LinkedHashMap<>();
        if (baseName != null) {
            DraftType t = schema.resolveType(baseName, info, "'base' uses unknown type '" + baseName + "'");
            if (!(t instanceof DraftObject o) || o.isUnion()) {
                throw info.error("'base' requires a struct type, " + t.describe() + " isn't");
            }
            base = o;
            schema.checkNested(base, info);
            base.checkClash(info, seen);
        }
        for (DraftMember m : localMembers) {
            m.check(schema);
            m.checkClash(info, seen);
        }
        List<DraftMember> flat = new ArrayList<>(seen.values());
        if (isUnion()) {
            checkBranches(schema, seen);
            checkBranchClashes(info, seen);
        }
        members = flat;
        complete = true;
    }

    /** Adds this object's members (and each branch's, separately) to {@code seen}, reporting clashes. */
    void checkClash(SourceInfo at, Map<String, DraftMember> seen) {
        members.forEach(m -> m.checkClash(at, seen));
        if (isUnion()) {
            checkBranchClashes(at, seen);
        }
    }

    private void checkBranchClashes(SourceInfo at, Map<String, DraftMember> seen) {
        // Branch members only meet the common members, never another branch's.
        variants.forEach(v -> ((DraftObject) v.type).checkClash(at, new LinkedHashMap<>(seen)));
    }

    /** QEMU's QAPISchemaBranches.check: the discriminator rules and one object branch per enum value. */
    private void checkBranches(SchemaChecker schema, Map<String, DraftMember> seen) {
        DraftMember tag = seen.get(Names.clashKey(tagName));
        String baseWords = "'base'";
        if (tag == null || !tag.name.equals(tagName)) {
            throw info.error("discriminator '" + tagName + "' is not a member of " + baseWords);
        }
        tagMember = tag;
        if (!schema.lookupType(tag.definedIn).isImplicit()) {
            baseWords = "base type '" + tag.definedIn + "'";
        }
        String which = "discriminator member '" + tagName + "' of " + baseWords;
        if (!(tag.type instanceof DraftEnum tagEnum)) {
            throw info.error(which + " must be of enum type");
        }
        if (tag.optional) {
            throw info.error(which + " must not be optional");
        }
        if (tag.condition.isPresent()) {
            throw info.error(which + " must not be conditional");
        }
        addImplicitBranches(tagEnum, tag);
        if (variants.isEmpty()) {
            throw info.error("union has no branches");
        }
        for (DraftMember v : variants) {
            v.check(schema);
            if (!tagEnum.hasValue(v.name)) {
                throw info.error("branch '" + v.name + "' is not a value of " + tagEnum.describe());
            }
            if (!(v.type instanceof DraftObject branchType)) {
                throw info.error(v.describe(info) + " cannot use " + v.type.describe());
            }
            schema.checkNested(branchType, info);
        }
    }

    /** qapi-code-gen.rst: enum values without a branch get the empty object type. */
    private void addImplicitBranches(DraftEnum tagEnum, DraftMember tag) {
        for (DraftMember value : tagEnum.values) {
            if (variants.stream().noneMatch(v -> v.name.equals(value.name))) {
                DraftMember v = new DraftMember(value.name, info, value.condition, "branch", "q_empty", false,
                        List.of());
                v.definedIn = tag.definedIn;
                variants.add(v);
            }
        }
    }

    @Override
    void connectDoc(DocBuilder given) {
        super.connectDoc(given);
        DocBuilder d = given != null ? given : doc;
        if (base != null && base.isImplicit()) {
            base.connectDoc(d);
        }
        localMembers.forEach(m -> m.connectDoc(d));
    }

    @Override
    Definition toModel(Function<String, TypeRef> refs, String module) {
        Optional<Branches> branches = isUnion()
                ? Optional.of(new Branches(tagMember.toMember(refs),
                        variants.stream().map(v -> v.toVariant(refs)).toList()))
                : Optional.empty();
        return new ObjectType(name, location(), docModel(), condition, DraftMember.toFeatures(features), module,
                Optional.ofNullable(baseName).map(refs), localMembers.stream().map(m -> m.toMember(refs)).toList(),
                members.stream().map(m -> m.toMember(refs)).toList(), branches);
    }
}
