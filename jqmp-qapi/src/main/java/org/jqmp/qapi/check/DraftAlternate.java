package org.jqmp.qapi.check;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jqmp.qapi.model.AlternateType;
import org.jqmp.qapi.model.Condition;
import org.jqmp.qapi.model.Definition;
import org.jqmp.qapi.model.JsonType;
import org.jqmp.qapi.model.TypeRef;
import org.jqmp.qapi.parse.DocBuilder;
import org.jqmp.qapi.parse.SourceInfo;

/** An alternate while checked: its alternatives must be told apart by JSON type alone. */
final class DraftAlternate extends DraftType {
    private static final Pattern NUMBER_LIKE = Pattern.compile("[-+0-9.]");
    final List<DraftMember> alternatives;

    DraftAlternate(String name, SourceInfo info, DocBuilder doc, Condition condition, List<DraftMember> features,
                   List<DraftMember> alternatives) {
        super(name, info, doc, condition, features);
        this.alternatives = alternatives;
        alternatives.forEach(a -> a.definedIn = name);
    }

    @Override
    String meta() {
        return "alternate";
    }

    @Override
    JsonType jsonType() {
        return JsonType.VALUE;
    }

    @Override
    void check(SchemaChecker schema) {
        super.check(schema);
        alternatives.forEach(a -> a.check(schema));
        Map<String, DraftMember> seen = new HashMap<>();
        Map<String, String> typesSeen = new HashMap<>();
        for (DraftMember a : alternatives) {
            a.checkClash(info, seen);
            String qtype = a.type.alternateQtype();
            if (qtype == null) {
                throw info.error(a.describe(info) + " cannot use " + a.type.describe());
            }
            for (String qt : conflicting(a.type, qtype)) {
                if (typesSeen.containsKey(qt)) {
                    throw info.error(a.describe(info) + " can't be distinguished from '" + typesSeen.get(qt) + "'");
                }
                typesSeen.put(qt, a.name);
            }
        }
    }

    /**
     * The QTypes a value of this type may arrive as. With the keyval (command line) input visitor every scalar
     * is a string, so a string alternative conflicts with numbers and booleans; an enum only with those its
     * values could be mistaken for ('on'/'off', and values starting like a number).
     */
    private static Set<String> conflicting(DraftType type, String qtype) {
        Set<String> out = new LinkedHashSet<>();
        out.add(qtype);
        if (qtype.equals("QTYPE_QSTRING")) {
            if (type instanceof DraftEnum e) {
                for (DraftMember v : e.values) {
                    if (v.name.equals("on") || v.name.equals("off")) {
                        out.add("QTYPE_QBOOL");
                    }
                    if (NUMBER_LIKE.matcher(v.name).lookingAt()) {
                        out.add("QTYPE_QNUM");
                    }
                }
            } else {
                out.add("QTYPE_QNUM");
                out.add("QTYPE_QBOOL");
            }
        }
        return out;
    }

    @Override
    void connectDoc(DocBuilder given) {
        super.connectDoc(given);
        DocBuilder d = given != null ? given : doc;
        alternatives.forEach(a -> a.connectDoc(d));
    }

    @Override
    Definition toModel(Function<String, TypeRef> refs, String module) {
        return new AlternateType(name, location(), docModel(), condition, DraftMember.toFeatures(features), module,
                alternatives.stream().map(a -> a.toVariant(refs)).toList());
    }
}
