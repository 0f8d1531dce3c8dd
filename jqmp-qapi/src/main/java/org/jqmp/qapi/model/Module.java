package org.jqmp.qapi.model;

import java.util.List;

/**
 * A schema module: one source file (named relative to the main schema's directory) or {@code ./builtin},
 * with the definitions it holds in order and the modules it includes. Generators emit one output per module.
 */
public record Module(String name, List<String> includes, List<Definition> definitions) {
    public Module {
        includes = List.copyOf(includes);
        definitions = List.copyOf(definitions);
    }

    public boolean isBuiltin() {
        return name.equals(BuiltinType.MODULE);
    }
}
