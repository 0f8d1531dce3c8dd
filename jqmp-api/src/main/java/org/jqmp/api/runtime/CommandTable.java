package org.jqmp.api.runtime;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The commands a monitor can run, by name. Immutable; built once, shared by every session. */
public final class CommandTable {
    private final Map<String, CommandDefinition> commands;

    private CommandTable(Map<String, CommandDefinition> commands) {
        this.commands = Collections.unmodifiableMap(new LinkedHashMap<>(commands));
    }

    public CommandDefinition lookup(String name) {
        return commands.get(name);
    }

    /** In registration order. */
    public Collection<CommandDefinition> all() {
        return commands.values();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds definitions; a later registration of the same name replaces the earlier one. */
    public static final class Builder {
        private final Map<String, CommandDefinition> commands = new LinkedHashMap<>();

        public Builder register(CommandDefinition definition) {
            commands.put(definition.name(), definition);
            return this;
        }

        public Builder registerAll(CommandTable table) {
            table.all().forEach(this::register);
            return this;
        }

        public CommandTable build() {
            return new CommandTable(commands);
        }
    }
}
