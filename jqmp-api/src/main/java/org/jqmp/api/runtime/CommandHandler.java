package org.jqmp.api.runtime;

import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonValue;

/**
 * Runs one command: QEMU's {@code qmp_marshal_<command>}. Checks the arguments before any side effect,
 * calls the implementation and converts its result.
 */
@FunctionalInterface
public interface CommandHandler {
    /**
     * @param arguments the request's {@code arguments} ({@code {}} when absent)
     * @return the {@code return} value, or null for a command without one (the reply is then {@code {}})
     * @throws QmpException to answer with an error reply
     */
    JsonValue execute(JsonObject arguments, CommandContext context);
}
