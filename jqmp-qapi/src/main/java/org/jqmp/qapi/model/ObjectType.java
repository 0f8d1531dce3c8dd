package org.jqmp.qapi.model;

import java.util.List;
import java.util.Optional;

/**
 * A struct or a union (a union has {@link #branches()}). {@code members} is the flat list on the wire's
 * common part: base members first, then the local ones. Implicit object types are {@code q_empty} and the
 * {@code q_obj_<name>-arg} / {@code q_obj_<name>-base} types QEMU makes for inline data.
 */
public record ObjectType(String name, Optional<SourceLocation> location, Optional<DocComment> doc,
                         Condition condition, List<Feature> features, String module, Optional<TypeRef> base,
                         List<Member> localMembers, List<Member> members, Optional<Branches> branches)
        implements SchemaType {
    public static final String EMPTY = "q_empty";

    public ObjectType {
        features = List.copyOf(features);
        localMembers = List.copyOf(localMembers);
        members = List.copyOf(members);
    }

    @Override
    public JsonType jsonType() {
        return JsonType.OBJECT;
    }

    @Override
    public String meta() {
        return branches.isPresent() ? "union" : "struct";
    }

    @Override
    public boolean isImplicit() {
        return name.startsWith("q_");
    }

    public boolean isEmpty() {
        return members.isEmpty() && branches.isEmpty();
    }

    public Optional<Member> member(String memberName) {
        return members.stream().filter(m -> m.name().equals(memberName)).findFirst();
    }
}
