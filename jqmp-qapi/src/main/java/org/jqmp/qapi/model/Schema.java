package org.jqmp.qapi.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A checked schema: every definition in QEMU's order (built-ins first, then each definition with the implicit
 * types it caused just before it), grouped by module, with the doc comments and the set of feature names.
 * Immutable once built.
 */
public final class Schema {
    private final Map<String, Definition> byName = new LinkedHashMap<>();
    private final List<Module> modules;
    private final List<DocComment> docs;
    private final List<String> featureNames;
    private final SchemaPragma pragma;

    /**
     * Builds the schema; {@code definitions} receives a factory for type references into this schema.
     * Used by the checker only.
     */
    public Schema(Function<Function<String, TypeRef>, List<Definition>> definitions,
                  Map<String, List<String>> moduleIncludes, List<DocComment> docs, List<String> featureNames,
                  SchemaPragma pragma) {
        for (Definition d : definitions.apply(name -> new TypeRef(name, this))) {
            byName.put(d.name(), d);
        }
        this.modules = groupByModule(moduleIncludes);
        this.docs = List.copyOf(docs);
        this.featureNames = List.copyOf(featureNames);
        this.pragma = pragma;
    }

    private List<Module> groupByModule(Map<String, List<String>> moduleIncludes) {
        Map<String, List<Definition>> grouped = new LinkedHashMap<>();
        grouped.put(BuiltinType.MODULE, new ArrayList<>());
        moduleIncludes.keySet().forEach(m -> grouped.put(m, new ArrayList<>()));
        byName.values().forEach(d -> grouped.computeIfAbsent(d.module(), k -> new ArrayList<>()).add(d));
        return grouped.entrySet().stream()
                .map(e -> new Module(e.getKey(), moduleIncludes.getOrDefault(e.getKey(), List.of()), e.getValue()))
                .toList();
    }

    /** All definitions in definition order. */
    public List<Definition> definitions() {
        return List.copyOf(byName.values());
    }

    public Optional<Definition> lookup(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Optional<SchemaType> type(String name) {
        return byName.get(name) instanceof SchemaType t ? Optional.of(t) : Optional.empty();
    }

    public Optional<Command> command(String name) {
        return byName.get(name) instanceof Command c ? Optional.of(c) : Optional.empty();
    }

    public Optional<Event> event(String name) {
        return byName.get(name) instanceof Event e ? Optional.of(e) : Optional.empty();
    }

    public List<Command> commands() {
        return ofKind(Command.class);
    }

    public List<Event> events() {
        return ofKind(Event.class);
    }

    public <T extends Definition> List<T> ofKind(Class<T> kind) {
        return byName.values().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    public List<Module> modules() {
        return modules;
    }

    /** Every doc comment in source order, free-form ones included. */
    public List<DocComment> docs() {
        return docs;
    }

    /** Every feature name used, the special ones (deprecated, unstable) first. */
    public List<String> featureNames() {
        return featureNames;
    }

    public SchemaPragma pragma() {
        return pragma;
    }

    @Override
    public String toString() {
        return "Schema[" + byName.size() + " definitions in " + modules.size() + " modules]";
    }
}
