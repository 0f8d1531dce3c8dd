package org.jqmp.qapi.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jqmp.qapi.model.Condition;
import org.jqmp.qapi.parse.ParsedExpr;
import org.jqmp.qapi.parse.SourceInfo;

/**
 * Makes drafts from normalized expressions (QEMU's QAPISchema._def_*): members, branches, features, and the
 * implicit types a definition needs, defined before the definition itself.
 */
final class DraftFactory {
    private final SchemaChecker schema;

    DraftFactory(SchemaChecker schema) {
        this.schema = schema;
    }

    void define(ParsedExpr pe) {
        Map<String, Object> expr = pe.expr();
        SourceInfo info = pe.info();
        if (expr.containsKey("include")) {
            schema.include((String) expr.get("include"), info);
        } else if (expr.containsKey("enum")) {
            schema.define(new DraftEnum((String) expr.get("enum"), info, pe.doc(), condition(expr.get("if")),
                    features(expr.get("features"), info), enumValues(expr.get("data"), info),
                    (String) expr.get("prefix")));
        } else if (expr.containsKey("struct")) {
            schema.define(new DraftObject((String) expr.get("struct"), info, pe.doc(), condition(expr.get("if")),
                    features(expr.get("features"), info), (String) expr.get("base"),
                    members(expr.get("data"), info), null, null));
        } else if (expr.containsKey("union")) {
            defineUnion(pe);
        } else if (expr.containsKey("alternate")) {
            schema.define(new DraftAlternate((String) expr.get("alternate"), info, pe.doc(),
                    condition(expr.get("if")), features(expr.get("features"), info),
                    variants(expr.get("data"), info)));
        } else if (expr.containsKey("command")) {
            defineCommand(pe);
        } else {
            defineEvent(pe);
        }
    }

    private void defineUnion(ParsedExpr pe) {
        Map<String, Object> expr = pe.expr();
        String name = (String) expr.get("union");
        Condition cond = condition(expr.get("if"));
        List<DraftMember> features = features(expr.get("features"), pe.info());
        Object base = expr.get("base");
        String baseName = base instanceof Map<?, ?>
                ? schema.implicitObject(name, pe.info(), cond, "base", members(base, pe.info()))
                : (String) base;
        schema.define(new DraftObject(name, pe.info(), pe.doc(), cond, features, baseName, List.of(),
                (String) expr.get("discriminator"), variants(expr.get("data"), pe.info())));
    }

    private void defineCommand(ParsedExpr pe) {
        Map<String, Object> expr = pe.expr();
        String name = (String) expr.get("command");
        Condition cond = condition(expr.get("if"));
        List<DraftMember> features = features(expr.get("features"), pe.info());
        String argType = argType(name, expr.get("data"), pe.info(), cond);
        Object rets = expr.get("returns");
        String retType = rets instanceof List<?> l ? schema.arrayOf((String) l.getFirst(), pe.info()) : (String) rets;
        DraftCommand.Flags flags = new DraftCommand.Flags(flag(expr, "gen", true),
                flag(expr, "success-response", true), flag(expr, "boxed", false), flag(expr, "allow-oob", false),
                flag(expr, "allow-preconfig", false), flag(expr, "coroutine", false));
        schema.define(new DraftCommand(name, pe.info(), pe.doc(), cond, features, argType, retType, flags));
    }

    private void defineEvent(ParsedExpr pe) {
        Map<String, Object> expr = pe.expr();
        String name = (String) expr.get("event");
        Condition cond = condition(expr.get("if"));
        List<DraftMember> features = features(expr.get("features"), pe.info());
        String argType = argType(name, expr.get("data"), pe.info(), cond);
        schema.define(new DraftEvent(name, pe.info(), pe.doc(), cond, features, argType,
                flag(expr, "boxed", false)));
    }

    private String argType(String owner, Object data, SourceInfo info, Condition cond) {
        return data instanceof Map<?, ?>
                ? schema.implicitObject(owner, info, cond, "arg", members(data, info))
                : (String) data;
    }

    private static boolean flag(Map<String, Object> expr, String key, boolean absent) {
        return expr.containsKey(key) ? (Boolean) expr.get(key) : absent;
    }

    private List<DraftMember> features(Object list, SourceInfo info) {
        List<DraftMember> out = new ArrayList<>();
        for (Map<String, Object> f : ExprChecker.maps(list)) {
            String name = (String) f.get("name");
            schema.noteFeature(name, info);
            out.add(DraftMember.feature(name, info, condition(f.get("if"))));
        }
        return out;
    }

    private List<DraftMember> enumValues(Object list, SourceInfo info) {
        List<DraftMember> out = new ArrayList<>();
        for (Map<String, Object> v : ExprChecker.maps(list)) {
            out.add(new DraftMember((String) v.get("name"), info, condition(v.get("if")), "value", null, false,
                    features(v.get("features"), info)));
        }
        return out;
    }

    private List<DraftMember> members(Object data, SourceInfo info) {
        List<DraftMember> out = new ArrayList<>();
        if (data instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = (String) e.getKey();
                Map<?, ?> value = (Map<?, ?>) e.getValue();
                boolean optional = key.startsWith("*");
                out.add(new DraftMember(optional ? key.substring(1) : key, info, condition(value.get("if")),
                        "member", typeName(value.get("type"), info), optional,
                        features(value.get("features"), info)));
            }
        }
        return out;
    }

    private List<DraftMember> variants(Object data, SourceInfo info) {
        List<DraftMember> out = new ArrayList<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) data).entrySet()) {
            Map<?, ?> value = (Map<?, ?>) e.getValue();
            out.add(new DraftMember((String) e.getKey(), info, condition(value.get("if")), "branch",
                    typeName(value.get("type"), info), false, List.of()));
        }
        return out;
    }

    private String typeName(Object type, SourceInfo info) {
        return type instanceof List<?> l ? schema.arrayOf((String) l.getFirst(), info) : (String) type;
    }

    /** The model form of a checked {@code 'if'} value. */
    static Condition condition(Object ifValue) {
        return switch (ifValue) {
            case null -> Condition.Always.INSTANCE;
            case String s -> new Condition.Config(s);
            case Map<?, ?> m when m.containsKey("not") -> new Condition.Not(condition(m.get("not")));
            case Map<?, ?> m when m.containsKey("all") -> new Condition.All(conditions(m.get("all")));
            case Map<?, ?> m -> new Condition.Any(conditions(m.get("any")));
            default -> throw new IllegalStateException("unchecked 'if' " + ifValue);
        };
    }

    private static List<Condition> conditions(Object list) {
        return ((List<?>) list).stream().map(DraftFactory::condition).toList();
    }
}
