package org.jqmp.monitor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jqmp.api.runtime.ArgumentReader;
import org.jqmp.api.runtime.CommandContext;
import org.jqmp.api.runtime.CommandDefinition;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.ErrorClass;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;
import org.jqmp.monitor.EventEmitter;
import org.jqmp.monitor.YankRegistry;

/**
 * The monitor's own commands (QEMU's qapi/control.json, the fd commands of misc.json, yank.json), with
 * hand-written argument checks until the QAPI compiler generates their marshallers.
 */
public final class ControlCommands {
    private static final Set<String> CAPABILITIES = Set.of("oob");

    private final YankRegistry yank;
    private final Runnable quit;
    private final EventEmitter events;

    /**
     * @param quit   what {@code quit} does once its reply is out (stop the server, exit the process)
     */
    public ControlCommands(YankRegistry yank, EventEmitter events, Runnable quit) {
        this.yank = yank;
        this.events = events;
        this.quit = quit;
    }

    public CommandTable table() {
        return CommandTable.builder()
                .register(CommandDefinition.of("qmp_capabilities", this::qmpCapabilities).withAllowPreconfig())
                .register(CommandDefinition.of("query-version", this::queryVersion).withAllowPreconfig())
                .register(CommandDefinition.of("query-commands", this::queryCommands).withAllowPreconfig())
                .register(CommandDefinition.of("getfd", this::getfd))
                .register(CommandDefinition.of("closefd", this::closefd))
                .register(CommandDefinition.of("quit", this::quit).withAllowPreconfig())
                .register(CommandDefinition.of("query-yank", this::queryYank).withAllowOob())
                .register(CommandDefinition.of("yank", this::yank).withAllowOob())
                .build();
    }

    private static MonitorSession session(CommandContext context) {
        return (MonitorSession) context;
    }

    private JsonValue qmpCapabilities(JsonObject arguments, CommandContext context) {
        ArgumentReader args = new ArgumentReader(arguments);
        List<String> enable = args.optionalEnumList("enable", CAPABILITIES);
        args.end();
        MonitorSession session = session(context);
        if (!session.negotiating()) {
            throw new QmpException(ErrorClass.CommandNotFound,
                    "Capabilities negotiation is already complete, command ignored");
        }
        // every capability jqmp knows (oob) is offered, so none can be refused as "not available"
        session.negotiated(enable != null && enable.contains("oob"));
        return null;
    }

    private JsonValue queryVersion(JsonObject arguments, CommandContext context) {
        new ArgumentReader(arguments).end();
        return session(context).monitor().version().toJson();
    }

    /** The commands of the session's current table, enabled ones only. */
    private JsonValue queryCommands(JsonObject arguments, CommandContext context) {
        new ArgumentReader(arguments).end();
        List<JsonValue> names = new ArrayList<>();
        for (CommandDefinition command : session(context).monitor().dispatcher().commands().all()) {
            names.add(JsonObject.builder().put("name", command.name()).build());
        }
        return new JsonArray(names);
    }

    private JsonValue getfd(JsonObject arguments, CommandContext context) {
        ArgumentReader args = new ArgumentReader(arguments);
        String name = args.requiredString("fdname");
        args.end();
        session(context).fds().getfd(name);
        return null;
    }

    private JsonValue closefd(JsonObject arguments, CommandContext context) {
        ArgumentReader args = new ArgumentReader(arguments);
        String name = args.requiredString("fdname");
        args.end();
        session(context).fds().closefd(name);
        return null;
    }

    /** Observed on QEMU 7.2: SHUTDOWN (host-qmp-quit) comes before quit's reply; then the process exits. */
    private JsonValue quit(JsonObject arguments, CommandContext context) {
        new ArgumentReader(arguments).end();
        events.emit("SHUTDOWN", JsonObject.builder().put("guest", false).put("reason", "host-qmp-quit").build());
        session(context).afterReply(quit);
        return null;
    }

    private JsonValue queryYank(JsonObject arguments, CommandContext context) {
        new ArgumentReader(arguments).end();
        return new JsonArray(yank.list().stream().map(i -> (JsonValue) i.toJson()).toList());
    }

    private JsonValue yank(JsonObject arguments, CommandContext context) {
        JsonValue raw = arguments.get("instances");
        List<YankRegistry.Instance> targets = new ArrayList<>();
        if (raw == null) {
            throw QmpException.generic("Parameter 'instances' is missing");
        }
        if (!(raw instanceof JsonArray list)) {
            throw QmpException.generic("Invalid parameter type for 'instances', expected: array");
        }
        for (int i = 0; i < list.size(); i++) {
            targets.add(yankInstance(list.get(i), "instances[" + i + "]"));
        }
        for (String key : arguments.members().keySet()) {
            if (!key.equals("instances")) {
                throw QmpException.generic("Parameter '" + key + "' is unexpected");
            }
        }
        yank.yank(targets);
        return null;
    }

    private static YankRegistry.Instance yankInstance(JsonValue value, String path) {
        if (!(value instanceof JsonObject o)) {
            throw QmpException.generic("Invalid parameter type for '" + path + "', expected: object");
        }
        ArgumentReader member = new ArgumentReader(o);
        String type = member.optionalString("type");
        if (type == null) {
            throw QmpException.generic("Parameter '" + path + ".type' is missing");
        }
        YankRegistry.Instance instance = switch (type) {
            case "chardev" -> new YankRegistry.Instance.Chardev(required(member, "id", path));
            case "block-node" -> new YankRegistry.Instance.BlockNode(required(member, "node-name", path));
            case "migration" -> new YankRegistry.Instance.Migration();
            default -> throw QmpException.generic("Parameter 'type' does not accept value '" + type + "'");
        };
        member.end();
        return instance;
    }

    private static String required(ArgumentReader member, String name, String path) {
        try {
            return member.requiredString(name);
        } catch (QmpException e) {
            throw QmpException.generic(e.getMessage().replace("'" + name + "'", "'" + path + "." + name + "'"));
        }
    }
}
