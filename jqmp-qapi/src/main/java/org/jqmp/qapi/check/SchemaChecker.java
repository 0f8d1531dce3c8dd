package org.jqmp.qapi.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jqmp.qapi.QapiLimits;
import org.jqmp.qapi.model.BuiltinType;
import org.jqmp.qapi.model.Condition;
import org.jqmp.qapi.model.Definition;
import org.jqmp.qapi.model.JsonType;
import org.jqmp.qapi.model.Schema;
import org.jqmp.qapi.parse.DocBuilder;
import org.jqmp.qapi.parse.ParsedExpr;
import org.jqmp.qapi.parse.ParsedSchema;
import org.jqmp.qapi.parse.SourceInfo;

/**
 * Turns parsed expressions into a checked {@link Schema} (QEMU's QAPISchema): defines the built-in types, one
 * draft per definition (with the implicit array and {@code q_obj_*} types it needs, just before it), then
 * checks every definition in that order, connects doc comments, and builds the model.
 */
public final class SchemaChecker {
    /** qapi/introspect.json and the generated feature bit masks allow 64 distinct features. */
    private static final int MAX_FEATURES = 64;

    private final List<DraftDefinition> entities = new ArrayList<>();
    private final Map<String, DraftDefinition> byName = new LinkedHashMap<>();
    private final Map<String, DraftMember> featureDict = new LinkedHashMap<>();
    private final Map<String, List<String>> moduleIncludes = new LinkedHashMap<>();
    private final Map<String, String> moduleNames = new HashMap<>();
    private final Path schemaDir;
    private final DraftFactory factory = new DraftFactory(this);
    private final QapiLimits limits;
    private int typeDepth;

    private SchemaChecker(String mainFile, QapiLimits limits) {
        this.limits = limits;
        this.schemaDir = absolute(mainFile).getParent();
        for (String special : List.of("deprecated", "unstable")) {
            featureDict.put(special, DraftMember.feature(special, null, Condition.Always.INSTANCE));
        }
        moduleIncludes.put(moduleName(mainFile), new ArrayList<>());
    }

    /** Checks a parsed schema; throws {@link org.jqmp.qapi.QapiError} at the first error, as QEMU does. */
    public static Schema check(ParsedSchema parsed, QapiLimits limits) {
        ExprChecker.checkAll(parsed.exprs());
        SchemaChecker checker = new SchemaChecker(parsed.file(), limits);
        checker.definePredefined();
        for (ParsedExpr expr : parsed.exprs()) {
            checker.factory.define(expr);
        }
        checker.checkAll(parsed.docs());
        return checker.toModel(parsed);
    }

    private void definePredefined() {
        Object[][] builtins = {{"str", JsonType.STRING}, {"number", JsonType.NUMBER}, {"int", JsonType.INT},
            {"int8", JsonType.INT}, {"int16", JsonType.INT}, {"int32", JsonType.INT}, {"int64", JsonType.INT},
            {"uint8", JsonType.INT}, {"uint16", JsonType.INT}, {"uint32", JsonType.INT},
            {"uint64", JsonType.INT}, {"size", JsonType.INT}, {"bool", JsonType.BOOLEAN},
            {"any", JsonType.VALUE}, {"null", JsonType.NULL}};
        for (Object[] b : builtins) {
            define(new DraftBuiltin((String) b[0], (JsonType) b[1]));
            arrayOf((String) b[0], null);
        }
        define(new DraftObject("q_empty", null, null, Condition.Always.INSTANCE, List.of(), null, List.of(), null,
                null));
        List<DraftMember> qtypes = new ArrayList<>();
        for (String v : List.of("none", "qnull", "qnum", "qstring", "qdict", "qlist", "qbool")) {
            qtypes.add(new DraftMember(v, null, Condition.Always.INSTANCE, "value", null, false, List.of()));
        }
        define(new DraftEnum("QType", null, null, Condition.Always.INSTANCE, List.of(), qtypes, null));
    }

    void define(DraftDefinition defn) {
        entities.add(defn);
        DraftDefinition other = byName.get(defn.name);
        if (other != null) {
            if (other.info != null) {
                throw defn.info.error("'" + defn.name + "' is already defined\n"
                        + other.info.describe("previous definition"));
            }
            throw defn.info.error(other.describe() + " is already defined");
        }
        byName.put(defn.name, defn);
    }

    void include(String file, SourceInfo at) {
        String module = moduleName(file);
        moduleIncludes.computeIfAbsent(module, k -> new ArrayList<>());
        moduleIncludes.computeIfAbsent(moduleName(at.file()), k -> new ArrayList<>()).add(module);
    }

    /** The array type of {@code element}, defined on first use. */
    String arrayOf(String element, SourceInfo info) {
        String name = element + "List";    // names ending in List are reserved for this
        if (lookupType(name) == null) {
            define(new DraftArray(name, info, element));
        }
        return name;
    }

    /** The {@code q_obj_<name>-<role>} type for inline members; none for no members. */
    String implicitObject(String owner, SourceInfo info, Condition condition, String role,
                          List<DraftMember> members) {
        if (members.isEmpty()) {
            return null;
        }
        String name = "q_obj_" + owner + "-" + role;
        if (byName.get(name) == null) {
            define(new DraftObject(name, info, null, condition, List.of(), null, members, null, null));
        }
        // else: a second definition with the same name, which define() reports next
        return name;
    }

    /** Records the first use of each feature name; QEMU numbers features in this order. */
    void noteFeature(String name, SourceInfo info) {
        featureDict.putIfAbsent(name, DraftMember.feature(name, info, Condition.Always.INSTANCE));
    }

    /** Checks an object type nested in another (base or branch), bounding the recursion. */
    void checkNested(DraftObject type, SourceInfo at) {
        if (++typeDepth > limits.maxTypeDepth()) {
            throw at.error("types nested deeper than QapiLimits.maxTypeDepth (" + limits.maxTypeDepth() + ")");
        }
        try {
            type.check(this);
        } finally {
            typeDepth--;
        }
    }

    DraftType lookupType(String name) {
        return byName.get(name) instanceof DraftType t ? t : null;
    }

    DraftType resolveType(String name, SourceInfo info, String message) {
        DraftType t = lookupType(name);
        if (t == null) {
            throw info.error(message);
        }
        return t;
    }

    private void checkAll(List<DocBuilder> docs) {
        for (DraftDefinition e : entities) {
            e.check(this);
            e.connectDoc(null);
        }
        docs.forEach(DocBuilder::check);
        List<DraftMember> features = new ArrayList<>(featureDict.values());
        if (features.size() > MAX_FEATURES) {
            throw features.get(MAX_FEATURES).info.error("Maximum of 64 schema features is permitted");
        }
    }

    private Schema toModel(ParsedSchema parsed) {
        return new Schema(refs -> {
            List<Definition> out = new ArrayList<>();
            for (DraftDefinition e : entities) {
                SourceInfo mi = e.moduleInfo();
                out.add(e.toModel(refs, mi == null ? BuiltinType.MODULE : moduleName(mi.file())));
            }
            return out;
        }, moduleIncludes, parsed.docs().stream().map(DocBuilder::toModel).toList(),
                List.copyOf(featureDict.keySet()), parsed.pragma().toModel());
    }

    private String moduleName(String file) {
        // once per file, not once per definition (every definition names its module)
        return moduleNames.computeIfAbsent(file, f -> schemaDir.relativize(absolute(f)).toString());
    }

    private static Path absolute(String file) {
        return Path.of(file).toAbsolutePath().normalize();
    }
}
