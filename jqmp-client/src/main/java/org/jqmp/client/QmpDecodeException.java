package org.jqmp.client;

import java.util.List;
import org.jqmp.json.JsonValue;

/**
 * The command succeeded but its result could not be made into the typed value asked for, typically a
 * mandatory enum member with a value this build does not know (a Java enum cannot hold it). The JSON is
 * kept: {@link #json()} is the whole {@code return} value, {@link #drift()} what was unknown.
 */
public final class QmpDecodeException extends QmpClientException {
    private final String command;
    private final JsonValue json;
    private final List<String> drift;

    public QmpDecodeException(String command, JsonValue json, List<String> drift, RuntimeException cause) {
        super("the result of '" + command + "' does not fit its Java type"
                + (drift.isEmpty() ? "" : " (" + String.join(", ", drift) + ")") + ": " + cause.getMessage(), cause);
        this.command = command;
        this.json = json;
        this.drift = List.copyOf(drift);
    }

    public String command() {
        return command;
    }

    public JsonValue json() {
        return json;
    }

    public List<String> drift() {
        return drift;
    }
}
