package org.jqmp.monitor.internal;

import java.util.Map;
import org.jqmp.api.runtime.CommandDefinition;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.ErrorClass;
import org.jqmp.api.runtime.QmpError;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;

/**
 * QEMU's qmp_dispatch: checks a request's envelope in QEMU's order and with its texts, finds the command,
 * applies the compat policy and the OOB rule, runs the handler and builds the reply. The reply echoes
 * {@code id} whenever the request was an object that had one.
 */
final class Dispatcher {
    static final String NEGOTIATION_EXPECTED = "Expecting capabilities negotiation with 'qmp_capabilities'";

    private final CommandTable commands;
    private final CommandTable negotiationCommands;
    private final CompatPolicy policy;

    Dispatcher(CommandTable commands, CompatPolicy policy) {
        this.commands = commands;
        this.policy = policy;
        CommandDefinition capabilities = commands.lookup("qmp_capabilities");
        this.negotiationCommands = CommandTable.builder().register(capabilities).build();
    }

    CommandTable commands() {
        return commands;
    }

    /** True for a request QEMU runs at once, bypassing the in-band queue (qmp_is_oob). */
    static boolean isOutOfBand(JsonValue request) {
        return request instanceof JsonObject o && o.has("exec-oob") && !o.has("execute");
    }

    /** The reply to one request, or null when the command sends none. */
    JsonObject dispatch(JsonValue request, MonitorSession session) {
        if (!(request instanceof JsonObject dict)) {
            return errorReply(QmpError.generic("QMP input must be a JSON object"), null);
        }
        JsonValue id = dict.get("id");
        boolean negotiating = session.negotiating();
        try {
            JsonValue result = execute(dict, session, negotiating);
            if (result == null) {
                return null; // success-response: false
            }
            JsonObject.Builder reply = JsonObject.builder().put("return", result);
            return id == null ? reply.build() : reply.put("id", id).build();
        } catch (QmpException e) {
            QmpError error = e.error();
            if (negotiating && error.errorClass() == ErrorClass.CommandNotFound) {
                // monitor_qmp_dispatch: in negotiation mode every CommandNotFound says the same thing
                error = new QmpError(ErrorClass.CommandNotFound, NEGOTIATION_EXPECTED);
            }
            return errorReply(error, id);
        } catch (RuntimeException e) {
            // a bug in a handler: the client gets an error reply and keeps its session; the trace goes to stderr
            String command = dict.get("execute") instanceof org.jqmp.json.JsonString s ? s.value() : "?";
            System.err.println("jqmp: internal error in '" + command + "':");
            e.printStackTrace();
            return errorReply(QmpError.generic("Internal error in jqmp while running '" + command + "': " + e),
                    id);
        }
    }

    /** The {@code return} value, or null for a command that sends no reply on success. */
    private JsonValue execute(JsonObject dict, MonitorSession session, boolean negotiating) {
        boolean oobEnabled = session.oobEnabled();
        checkEnvelope(dict, oobEnabled);
        boolean oob = !dict.has("execute");
        String name = ((JsonString) dict.get(oob ? "exec-oob" : "execute")).value();
        CommandDefinition command = (negotiating ? negotiationCommands : commands).lookup(name);
        if (command == null) {
            throw new QmpException(ErrorClass.CommandNotFound, "The command " + name + " has not been found");
        }
        checkPolicy(command);
        if (oob && !command.allowOob()) {
            throw QmpException.generic("The command " + name + " does not support OOB");
        }
        JsonValue arguments = dict.get("arguments");
        JsonObject args = arguments == null ? JsonObject.EMPTY : (JsonObject) arguments;
        JsonValue result = session.run(command, args, oob);
        if (!command.successResponse()) {
            return null;
        }
        return result == null ? JsonObject.EMPTY : result;
    }

    /**
     * qmp_dispatch_check_obj: members in the order QEMU's dict iterates them; the second of execute/exec-oob
     * met is the one reported as clashing. exec-oob counts only once OOB is enabled.
     */
    private static void checkEnvelope(JsonObject dict, boolean oobEnabled) {
        String execKey = null;
        for (Map.Entry<String, JsonValue> member : dict.membersInQDictOrder()) {
            String key = member.getKey();
            JsonValue value = member.getValue();
            if (key.equals("execute") || (key.equals("exec-oob") && oobEnabled)) {
                if (!(value instanceof JsonString)) {
                    throw QmpException.generic("QMP input member '" + key + "' must be a string");
                }
                if (execKey != null) {
                    throw QmpException.generic("QMP input member '" + key + "' clashes with '" + execKey + "'");
                }
                execKey = key;
            } else if (key.equals("arguments")) {
                if (!(value instanceof JsonObject)) {
                    throw QmpException.generic("QMP input member 'arguments' must be an object");
                }
            } else if (!key.equals("id")) {
                throw QmpException.generic("QMP input member '" + key + "' is unexpected");
            }
        }
        if (execKey == null) {
            throw QmpException.generic("QMP input lacks member 'execute'");
        }
    }

    /** compat_policy_input_ok for a command: a rejected command is not found. */
    private void checkPolicy(CommandDefinition command) {
        switch (policy.inputFor(command.features())) {
            case ACCEPT -> {
            }
            case REJECT -> {
                String kind = command.features().contains("deprecated") ? "Deprecated" : "Unstable";
                throw new QmpException(ErrorClass.CommandNotFound,
                        kind + " command " + command.name() + " disabled by policy");
            }
            case CRASH -> {
                System.err.println("jqmp: " + command.name() + ": command rejected by -compat policy crash");
                Runtime.getRuntime().halt(134); // QEMU calls abort(): SIGABRT, exit status 134
            }
        }
    }

    static JsonObject errorReply(QmpError error, JsonValue id) {
        JsonObject.Builder reply = JsonObject.builder().put("error", error.toJson());
        return id == null ? reply.build() : reply.put("id", id).build();
    }
}
