package org.jqmp.qapi.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jqmp.qapi.parse.DocBuilder;
import org.jqmp.qapi.parse.ParsedExpr;
import org.jqmp.qapi.parse.SourceInfo;

/**
 * The context-free checks of every expression (QEMU's expr.py): which keys each kind of definition takes,
 * the shape of their values, names, conditions, features and flags. Like QEMU it normalizes in place: a
 * member {@code 'x': 'str'} becomes {@code 'x': {'type': 'str'}}, a feature or enum value string becomes
 * {@code {'name': ...}}.
 */
final class ExprChecker {
    private static final List<String> METAS = List.of("enum", "struct", "union", "alternate", "command", "event");
    private static final Pattern CONFIG_SYMBOL = Pattern.compile("[A-Z][A-Z0-9_]*");

    private ExprChecker() {
    }

    static void checkAll(List<ParsedExpr> exprs) {
        for (ParsedExpr pe : exprs) {
            if (!pe.expr().containsKey("include")) {
                check(pe.expr(), pe.info(), pe.doc());
            }
        }
    }

    private static void check(Map<String, Object> expr, SourceInfo info, DocBuilder doc) {
        List<String> metas = METAS.stream().filter(expr::containsKey).toList();
        if (metas.size() != 1) {
            throw info.error("expression must have exactly one key 'enum', 'struct', 'union', 'alternate',"
                    + " 'command', 'event'");
        }
        String meta = metas.getFirst();
        if (!(expr.get(meta) instanceof String name)) {
            throw info.error("'" + meta + "' requires a string name");
        }
        info.setDefinition(meta, name);
        Names.checkDefinitionName(name, info, meta);
        if (doc != null) {
            if (!name.equals(doc.symbol())) {
                throw info.error("documentation comment is for '" + doc.symbol() + "'");
            }
            doc.checkExpr(meta.equals("command"), expr.containsKey("returns"));
        } else if (info.pragma().docRequired()) {
            throw info.error("documentation comment required");
        }
        switch (meta) {
            case "enum" -> {
                checkKeys(expr, info, meta, List.of("enum", "data"), List.of("if", "features", "prefix"));
                checkEnum(expr, info);
            }
            case "union" -> {
                checkKeys(expr, info, meta, List.of("union", "base", "discriminator", "data"),
                        List.of("if", "features"));
                normalizeMembers(expr.get("base"));
                normalizeMembers(expr.get("data"));
                checkUnion(expr, info);
            }
            case "alternate" -> {
                checkKeys(expr, info, meta, List.of("alternate", "data"), List.of("if", "features"));
                normalizeMembers(expr.get("data"));
                checkAlternate(expr, info);
            }
            case "struct" -> {
                checkKeys(expr, info, meta, List.of("struct", "data"), List.of("base", "if", "features"));
                normalizeMembers(expr.get("data"));
                checkType(expr.get("data"), info, "'data'", false, name);
                checkType(expr.get("base"), info, "'base'", false, null);
            }
            case "command" -> {
                checkKeys(expr, info, meta, List.of("command"), List.of("data", "returns", "boxed", "if",
                        "features", "gen", "success-response", "allow-oob", "allow-preconfig", "coroutine"));
                normalizeMembers(expr.get("data"));
                checkCommandOrEvent(expr, info);
                checkType(expr.get("returns"), info, "'returns'", true, null);
            }
            default -> {
                checkKeys(expr, info, meta, List.of("event"), List.of("data", "boxed", "if", "features"));
                normalizeMembers(expr.get("data"));
                checkCommandOrEvent(expr, info);
            }
        }
        checkIf(expr, info, meta);
        checkFeatures(expr.get("features"), info);
        checkFlags(expr, info);
    }

    static void checkKeys(Map<String, Object> value, SourceInfo info, String source, List<String> required,
                          List<String> optional) {
        if (hasKeys(value, required, optional)) {
            return;    // the usual case, without the sets that the messages list
        }
        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(value.keySet());
        if (!missing.isEmpty()) {
            throw info.error(source + " misses key" + (missing.size() > 1 ? "s " : " ") + quoted(missing));
        }
        Set<String> allowed = new TreeSet<>(required);
        allowed.addAll(optional);
        Set<String> unknown = new TreeSet<>(value.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw info.error(source + " has unknown key" + (unknown.size() > 1 ? "s " : " ") + quoted(unknown)
                    + "\nValid keys are " + quoted(allowed) + ".");
        }
    }

    private static boolean hasKeys(Map<String, Object> value, List<String> required, List<String> optional) {
        for (String key : required) {
            if (!value.containsKey(key)) {
                return false;
            }
        }
        for (String key : value.keySet()) {
            if (!required.contains(key) && !optional.contains(key)) {
                return false;
            }
        }
        return true;
    }

    private static String quoted(Set<String> names) {
        return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    }

    private static void checkFlags(Map<String, Object> expr, SourceInfo info) {
        for (String key : List.of("gen", "success-response")) {
            if (expr.containsKey(key) && !Boolean.FALSE.equals(expr.get(key))) {
                throw info.error("flag '" + key + "' may only use false value");
            }
        }
        for (String key : List.of("boxed", "allow-oob", "allow-preconfig", "coroutine")) {
            if (expr.containsKey(key) && !Boolean.TRUE.equals(expr.get(key))) {
                throw info.error("flag '" + key + "' may only use true value");
            }
        }
        // qapi-code-gen.rst: no use case yet, and the semantics of the combination are unclear.
        if (expr.containsKey("allow-oob") && expr.containsKey("coroutine")) {
            throw info.error("flags 'allow-oob' and 'coroutine' are incompatible");
        }
    }

    /** {@code 'if'}: a config symbol, or an object with exactly one of all/any (arrays) or not. */
    static void checkIf(Map<?, ?> expr, SourceInfo info, String source) {
        if (expr.containsKey("if")) {
            checkCondition(expr.get("if"), info, source);
        }
    }

    private static void checkCondition(Object cond, SourceInfo info, String source) {
        if (cond instanceof String s) {
            if (!CONFIG_SYMBOL.matcher(s).matches()) {
                throw info.error("'if' condition '" + s + "' of " + source + " is not a valid identifier");
            }
            return;
        }
        if (!(cond instanceof Map<?, ?> map)) {
            throw info.error("'if' condition of " + source + " must be a string or an object");
        }
        checkKeys(stringKeyed(map), info, "'if' condition of " + source, List.of(), List.of("all", "any", "not"));
        if (map.size() != 1) {
            throw info.error("'if' condition of " + source + " has conflicting keys");
        }
        if (map.containsKey("not")) {
            checkCondition(map.get("not"), info, source);
            return;
        }
        String operator = map.containsKey("all") ? "all" : "any";
        if (!(map.get(operator) instanceof List<?> operands)) {
            throw info.error("'" + operator + "' condition of " + source + " must be an array");
        }
        if (operands.isEmpty()) {
            throw info.error("'if' condition [] of " + source + " is useless");
        }
        operands.forEach(o -> checkCondition(o, info, source));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeyed(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** {@code 'x': 'T'} becomes {@code 'x': {'type': 'T'}}. */
    private static void normalizeMembers(Object members) {
        if (members instanceof Map<?, ?> map) {
            Map<String, Object> m = stringKeyed(map);
            m.replaceAll((k, v) -> v instanceof Map<?, ?> ? v : new LinkedHashMap<>(Map.of("type", v)));
        }
    }

    /**
     * A type reference: a name, a one-element array if {@code allowArray}, or inline members if
     * {@code allowDict}; {@code dictOwner} names the definition whose member names the
     * member-name-exceptions pragma may relax.
     */
    private static void checkType(Object value, SourceInfo info, String source, boolean allowArray,
                                  boolean allowDict, String dictOwner) {
        if (value == null || value instanceof String) {
            return;
        }
        if (value instanceof List<?> list) {
            if (!allowArray) {
                throw info.error(source + " cannot be an array");
            }
            if (list.size() != 1 || !(list.getFirst() instanceof String)) {
                throw info.error(source + ": array type must contain single type name");
            }
            return;
        }
        if (!allowDict) {
            throw info.error(source + " should be a type name");
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw info.error(source + " should be an object or type name");
        }
        boolean permissive = dictOwner != null && info.pragma().memberNameExceptions().contains(dictOwner);
        for (Map.Entry<String, Object> e : stringKeyed(map).entrySet()) {
            checkMember(e.getKey(), e.getValue(), info, source, permissive);
        }
    }

    private static void checkType(Object value, SourceInfo info, String source, boolean allowArray,
                                  String dictOwner) {
        checkType(value, info, source, allowArray, dictOwner != null, dictOwner);
    }

    private static void checkMember(String key, Object arg, SourceInfo info, String source, boolean permissive) {
        String keySource = source + " member '" + key + "'";
        String name = key.startsWith("*") ? key.substring(1) : key;
        Names.checkLower(name, info, keySource, permissive, permissive);
        String c = Names.cName(name);
        if (c.equals("u") || c.startsWith("has_")) {
            throw info.error(keySource + " uses reserved name");
        }
        Map<String, Object> member = stringKeyed((Map<?, ?>) arg);
        checkKeys(member, info, keySource, List.of("type"), List.of("if", "features"));
        checkIf(member, info, keySource);
        checkFeatures(member.get("features"), info);
        checkType(member.get("type"), info, keySource, true, false, null);
    }

    private static void checkFeatures(Object features, SourceInfo info) {
        if (features == null) {
            return;
        }
        if (!(features instanceof List<?> list)) {
            throw info.error("'features' must be an array");
        }
        List<Object> items = stringKeyedList(list);
        items.replaceAll(f -> f instanceof Map<?, ?> ? f : new LinkedHashMap<>(Map.of("name", f)));
        for (Object item : items) {
            Map<String, Object> feat = stringKeyed((Map<?, ?>) item);
            String source = "'features' member";
            checkKeys(feat, info, source, List.of("name"), List.of("if"));
            if (!(feat.get("name") instanceof String name)) {
                throw info.error(source + " requires a string name");
            }
            source = source + " '" + name + "'";
            Names.checkName(name, info, source);
            checkIf(feat, info, source);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> stringKeyedList(List<?> list) {
        return (List<Object>) list;
    }

    private static void checkEnum(Map<String, Object> expr, SourceInfo info) {
        String name = (String) expr.get("enum");
        if (!(expr.get("data") instanceof List<?> list)) {
            throw info.error("'data' must be an array");
        }
        if (expr.get("prefix") != null && !(expr.get("prefix") instanceof String)) {
            throw info.error("'prefix' must be a string");
        }
        boolean permissive = info.pragma().memberNameExceptions().contains(name);
        List<Object> values = stringKeyedList(list);
        values.replaceAll(v -> v instanceof Map<?, ?> ? v : new LinkedHashMap<>(Map.of("name", v)));
        for (Object item : values) {
            Map<String, Object> value = stringKeyed((Map<?, ?>) item);
            String source = "'data' member";
            checkKeys(value, info, source, List.of("name"), List.of("if", "features"));
            if (!(value.get("name") instanceof String valueName)) {
                throw info.error(source + " requires a string name");
            }
            source = source + " '" + valueName + "'";
            // qapi-code-gen.rst: enum values may start with a digit; hide it from the name check.
            String checked = !valueName.isEmpty() && Character.isDigit(valueName.charAt(0))
                    ? "d" + valueName : valueName;
            Names.checkLower(checked, info, source, permissive, permissive);
            checkIf(value, info, source);
            checkFeatures(value.get("features"), info);
        }
    }

    private static void checkUnion(Map<String, Object> expr, SourceInfo info) {
        String name = (String) expr.get("union");
        Object base = expr.get("base");
        checkType(base, info, "'base'", false, name);
        if (!(expr.get("discriminator") instanceof String)) {
            throw info.error("'discriminator' requires a string name");
        }
        if (!(expr.get("data") instanceof Map<?, ?> data)) {
            throw info.error("'data' must be an object");
        }
        for (Map.Entry<String, Object> e : stringKeyed(data).entrySet()) {
            String source = "'data' member '" + e.getKey() + "'";
            Map<String, Object> branch = stringKeyed((Map<?, ?>) e.getValue());
            checkKeys(branch, info, source, List.of("type"), List.of("if"));
            checkIf(branch, info, source);
            checkType(branch.get("type"), info, source, !truthy(base), false, null);
        }
    }

    private static void checkAlternate(Map<String, Object> expr, SourceInfo info) {
        Object data = expr.get("data");
        if (!truthy(data)) {
            throw info.error("'data' must not be empty");
        }
        if (!(data instanceof Map<?, ?> map)) {
            throw info.error("'data' must be an object");
        }
        for (Map.Entry<String, Object> e : stringKeyed(map).entrySet()) {
            String source = "'data' member '" + e.getKey() + "'";
            Names.checkLower(e.getKey(), info, source, false, false);
            Map<String, Object> alt = stringKeyed((Map<?, ?>) e.getValue());
            checkKeys(alt, info, source, List.of("type"), List.of("if"));
            checkIf(alt, info, source);
            checkType(alt.get("type"), info, source, true, false, null);
        }
    }

    private static void checkCommandOrEvent(Map<String, Object> expr, SourceInfo info) {
        Object args = expr.get("data");
        boolean boxed = truthy(expr.get("boxed"));
        if (boxed && args == null) {
            throw info.error("'boxed': true requires 'data'");
        }
        checkType(args, info, "'data'", false, !boxed, null);
    }

    /** Python truthiness, which QEMU's checks rely on for a few optional values. */
    static boolean truthy(Object value) {
        return switch (value) {
            case null -> false;
            case Boolean b -> b;
            case String s -> !s.isEmpty();
            case List<?> l -> !l.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            default -> true;
        };
    }

    /** Copies a list of normalized feature objects (used by the schema builder). */
    static List<Map<String, Object>> maps(Object list) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (list instanceof List<?> l) {
            l.forEach(o -> out.add(stringKeyed((Map<?, ?>) o)));
        }
        return out;
    }
}
