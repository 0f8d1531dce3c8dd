package org.jqmp.api.runtime;

import java.util.Objects;
import java.util.Set;

/**
 * One entry of the command table: QEMU's QmpCommand (name, flags, features, function).
 *
 * @param allowOob        may be run with {@code exec-oob}
 * @param allowPreconfig  may run before the machine is initialised ({@code --preconfig})
 * @param successResponse false for commands that send no reply on success (QGA's guest-shutdown)
 * @param features        the schema's special features: {@code deprecated}, {@code unstable}
 */
public record CommandDefinition(String name, boolean allowOob, boolean allowPreconfig, boolean successResponse,
                                Set<String> features, CommandHandler handler) {
    public CommandDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        features = Set.copyOf(features);
    }

    /** An ordinary command: in-band only, replies on success, no special features. */
    public static CommandDefinition of(String name, CommandHandler handler) {
        return new CommandDefinition(name, false, false, true, Set.of(), handler);
    }

    public CommandDefinition withAllowOob() {
        return new CommandDefinition(name, true, allowPreconfig, successResponse, features, handler);
    }

    public CommandDefinition withAllowPreconfig() {
        return new CommandDefinition(name, allowOob, true, successResponse, features, handler);
    }

    public CommandDefinition withFeatures(Set<String> newFeatures) {
        return new CommandDefinition(name, allowOob, allowPreconfig, successResponse, newFeatures, handler);
    }
}
